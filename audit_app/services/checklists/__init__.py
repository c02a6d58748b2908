"""Checklists: the format, YAML and Excel, stored versions, differences and the agenda.

The code lives in one module per concern; this package re-exports the public names so callers
write `checklists.load_yaml(...)`:

- `format`: the pydantic `Checklist`, `Section` and `Item`, field types, cross checks
- `validation`: every problem of raw data at once, in Swedish, with where it is
- `yaml_io`: load and dump YAML, the JSON Schema (checklists/schema.json)
- `excel`: Excel export and import (errors name sheet, row and column), reading an upload
- `versions`: stored versions, import, the shipped files, the standard requirement lists
- `diff`: differences between two versions
- `agenda`: a follow-up's agenda as typed `AgendaItem`s (checklist + contract requirements)
- `overview`: what the page Checklistor shows (rows ready to render)
"""

from audit_app.services.checklists.agenda import agenda_for_followup, applies, build_agenda
from audit_app.services.checklists.diff import ChecklistDiff, diff
from audit_app.services.checklists.excel import read_excel, read_upload, to_excel
from audit_app.services.checklists.format import (
    Checklist,
    Item,
    checklist_of,
    content_of,
    to_code_list,
)
from audit_app.services.checklists.overview import (
    StoredChecklist,
    UploadPreview,
    history,
    newest_checklists,
    upload_preview,
)
from audit_app.services.checklists.validation import validate_checklist
from audit_app.services.checklists.versions import (
    ChecklistUnchanged,
    SyncResult,
    checklist_for_kind,
    checklists_for_kind,
    get_version,
    import_version,
    latest,
    list_latest,
    list_versions,
    requirement_lists,
    sync_shipped,
)
from audit_app.services.checklists.yaml_io import (
    SCHEMA_FILE,
    dump_yaml,
    json_schema,
    load_yaml,
    schema_text,
)

__all__ = [
    "SCHEMA_FILE",
    "Checklist",
    "ChecklistDiff",
    "ChecklistUnchanged",
    "Item",
    "StoredChecklist",
    "SyncResult",
    "UploadPreview",
    "agenda_for_followup",
    "applies",
    "build_agenda",
    "checklist_for_kind",
    "checklist_of",
    "checklists_for_kind",
    "content_of",
    "diff",
    "dump_yaml",
    "get_version",
    "history",
    "import_version",
    "json_schema",
    "latest",
    "list_latest",
    "list_versions",
    "load_yaml",
    "newest_checklists",
    "read_excel",
    "read_upload",
    "requirement_lists",
    "schema_text",
    "sync_shipped",
    "to_code_list",
    "to_excel",
    "upload_preview",
    "validate_checklist",
]
