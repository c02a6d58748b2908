"""What the page Checklistor shows: the newest of each checklist, one checklist's versions, and
an uploaded checklist compared with the newest stored version."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from audit_app.auth import display_names
from audit_app.domain.svtext import sv_short_moment
from audit_app.models import ChecklistVersion
from audit_app.services.checklists.diff import ChecklistDiff, diff
from audit_app.services.checklists.format import Checklist, checklist_of
from audit_app.services.checklists.versions import latest, list_latest, list_versions


@dataclass(frozen=True)
class StoredChecklist:
    """One stored version, ready to show: the checklist, when, by whom and from where."""

    key: str
    version: int
    checklist: Checklist
    saved: str  # Swedish local time, 2026-11-30 14:05
    by: str  # the name people see; "" when saved by the system
    source: str

    @property
    def item_count(self) -> int:
        return self.checklist.item_count()


@dataclass(frozen=True)
class UploadPreview:
    """An uploaded checklist against the newest stored version of its key."""

    current_version: int  # 0 for a new checklist
    changes: ChecklistDiff | None  # None for a new checklist

    @property
    def next_version(self) -> int:
        return self.current_version + 1


def _stored(session: Session, versions: Sequence[ChecklistVersion]) -> list[StoredChecklist]:
    names = display_names(session, [v.created_by_id for v in versions])
    return [
        StoredChecklist(
            key=v.key,
            version=v.version,
            checklist=checklist_of(v),
            saved=sv_short_moment(v.created_at),
            by=names.get(v.created_by_id, "") if v.created_by_id else "",
            source=v.source,
        )
        for v in versions
    ]


def newest_checklists(session: Session) -> list[StoredChecklist]:
    """Return the newest version of every checklist, ordered by name."""
    return _stored(session, list_latest(session))


def history(session: Session, key: str) -> list[StoredChecklist]:
    """Return every version of one checklist, newest first."""
    return _stored(session, list_versions(session, key))


def upload_preview(session: Session, checklist: Checklist) -> UploadPreview:
    """Compare an uploaded checklist with the newest stored version of its key."""
    current = latest(session, checklist.key)
    if current is None:
        return UploadPreview(0, None)
    return UploadPreview(current.version, diff(checklist_of(current), checklist))
