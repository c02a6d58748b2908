"""What the page Checklistor is given: rows with local times and names, and upload previews."""

from datetime import UTC, datetime

from sqlmodel import Session

from audit_app.auth import SYSTEM
from audit_app.services import checklists
from tests.conftest import REVISOR
from tests.unit.checklists.fixtures import small


def test_history_gives_local_time_and_the_name_of_who_saved(session: Session) -> None:
    first = checklists.import_version(session, SYSTEM, small(), "import liten.yaml")
    first.created_at = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
    renamed = small().model_copy(update={"name": "Ny utgåva"})
    second = checklists.import_version(session, REVISOR, renamed, "uppladdad fil liten.xlsx")
    second.created_at = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    session.flush()

    rows = checklists.history(session, "liten")
    assert [(r.version, r.saved, r.by, r.source) for r in rows] == [
        (2, "2026-06-02 00:30", "Karin Ek", "uppladdad fil liten.xlsx"),  # summer time
        (1, "2026-11-30 14:05", "", "import liten.yaml"),  # the system has no name
    ]
    assert rows[0].checklist.name == "Ny utgåva" and rows[0].item_count == 5

    newest = checklists.newest_checklists(session)
    assert [(r.key, r.version, r.by) for r in newest] == [("liten", 2, "Karin Ek")]


def test_upload_preview_compares_with_the_newest_version(session: Session) -> None:
    new = checklists.upload_preview(session, small())
    assert (new.current_version, new.next_version, new.changes) == (0, 1, None)

    checklists.import_version(session, REVISOR, small(), "test")
    same = checklists.upload_preview(session, small())
    assert same.current_version == 1 and same.changes is not None and same.changes.is_empty

    data = checklists.content_of(small())
    data["sections"][0]["items"][0]["text"] = "Omformulerad fråga"
    changed = checklists.upload_preview(session, checklists.validate_checklist(data))
    assert changed.next_version == 2
    assert changed.changes is not None and changed.changes.summary() == "1 omformulerad"
