"""Stored checklist versions: import, the shipped files, the newest and the history.

A follow-up pins one immutable `ChecklistVersion`, so editing a checklist never changes a
follow-up that already uses it.

Standard requirement lists (a checklist with a checklist-level `applies_to` and no section with
role requirements, e.g. `ska_krav_sarskilt_boende`) are starting points for a contract's own
requirements (`registers.copy_standard_requirements`); they are never merged into a follow-up.
Versions composed that way by earlier releases (keys with a dot, e.g.
`avtalsuppfoljning.sarskilt_boende`) stay readable for the follow-ups that pinned them; keys
with a dot cannot be imported.
"""

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from audit_app.auth import EDIT_CHECKLISTS, Actor, require
from audit_app.config import get_settings
from audit_app.db import rows_of
from audit_app.errors import Conflict, NotFound, UserError, ValidationFailed
from audit_app.models import ChecklistVersion, FollowUpKind, ItemKind, SectionRole
from audit_app.services.audit_log import log_event
from audit_app.services.checklists.format import (
    COMPOSED_SEPARATOR,
    Checklist,
    checklist_of,
    content_of,
)
from audit_app.services.checklists.yaml_io import load_yaml
from audit_app.services.privacy import guard

log = logging.getLogger(__name__)

# The checklist used by default for each kind of follow-up (see `checklist_for_kind`).
DEFAULT_KEYS = {
    FollowUpKind.avtal: "avtalsuppfoljning",
    FollowUpKind.ledningssystem: "ledningssystem",
    FollowUpKind.kvalitetsrevision: "kvalitetsrevision",
    FollowUpKind.riktad: "riktad_uppfoljning",
    FollowUpKind.bistandsarenden: "bistandsarenden",
}


class ChecklistUnchanged(UserError):
    """The imported checklist equals the newest stored version: nothing to save."""

    def __init__(self, key: str, version: int) -> None:
        super().__init__(
            f"Checklistan {key!r} är oförändrad jämfört med version {version}. "
            "Ingen ny version sparades."
        )
        self.version = version


def content_hash(content: dict[str, Any] | Checklist) -> str:
    """Hash the content without its version number (so equal content means no new version)."""
    data = content_of(content) if isinstance(content, Checklist) else dict(content)
    data.pop("version", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- reading


def latest(session: Session, key: str) -> ChecklistVersion | None:
    """Return the newest version of a checklist, or None."""
    return session.exec(
        select(ChecklistVersion)
        .where(ChecklistVersion.key == key)
        .order_by(col(ChecklistVersion.version).desc())
    ).first()


def list_versions(session: Session, key: str) -> list[ChecklistVersion]:
    """Return every version of a checklist, newest first."""
    return rows_of(
        session,
        ChecklistVersion,
        ChecklistVersion.key == key,
        order_by=col(ChecklistVersion.version).desc(),
    )


def get_version(session: Session, version_id: uuid.UUID | str) -> ChecklistVersion:
    """Return one stored version by id (what a follow-up pins)."""
    found = session.get(ChecklistVersion, uuid.UUID(str(version_id)))
    if found is None:
        raise NotFound("Checklistversionen finns inte.")
    return found


def list_latest(session: Session, *, include_composed: bool = True) -> list[ChecklistVersion]:
    """Return the newest version of every checklist, ordered by name."""
    newest: dict[str, ChecklistVersion] = {}
    for cv in session.exec(select(ChecklistVersion).order_by(col(ChecklistVersion.version))):
        newest[cv.key] = cv
    found = [cv for cv in newest.values() if include_composed or COMPOSED_SEPARATOR not in cv.key]
    return sorted(found, key=lambda cv: (cv.name.lower(), cv.key))


def checklist_for_kind(
    session: Session, followup_kind: FollowUpKind | str
) -> ChecklistVersion | None:
    """Return the version to pin when planning a follow-up of this kind (None if there is none):
    the newest version of the kind's default checklist, or of any checklist of that kind."""
    kind = FollowUpKind(followup_kind)
    key = DEFAULT_KEYS.get(kind)
    if key is not None:
        found = latest(session, key)
        if found is not None:
            return found
    candidates = [
        cv for cv in list_latest(session, include_composed=False) if cv.kind == kind.value
    ]
    return sorted(candidates, key=lambda cv: cv.key)[0] if candidates else None


def checklists_for_kind(
    session: Session, followup_kind: FollowUpKind | str
) -> list[ChecklistVersion]:
    """Return the newest version of every agenda checklist usable for this kind of follow-up
    (not the standard requirement lists, nor versions composed by earlier releases)."""
    kind = FollowUpKind(followup_kind).value
    return [
        cv
        for cv in list_latest(session, include_composed=False)
        if cv.kind == kind and not is_requirement_list(checklist_of(cv))
    ]


# --------------------------------------------------------------------------- writing


def _store(
    session: Session, actor: Actor, checklist: Checklist, source: str, previous: int
) -> ChecklistVersion:
    version = previous + 1
    content = content_of(checklist.model_copy(update={"version": version}))
    cv = ChecklistVersion(
        key=checklist.key,
        version=version,
        name=checklist.name,
        kind=checklist.kind.value,
        content=content,
        sha256=content_hash(content),
        source=source[:300],
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(cv)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"Någon annan sparade en ny version av checklistan {checklist.key!r} samtidigt. "
            "Ladda om sidan och försök igen."
        ) from exc
    log_event(session, actor, "checklistversion", cv.id, f"version {version} sparad"[:80])
    return cv


def import_version(
    session: Session, actor: Actor, checklist: Checklist, source: str
) -> ChecklistVersion:
    """Store the checklist as a new version of its key; existing versions never change."""
    require(actor, EDIT_CHECKLISTS, "spara checklistor")
    guard({"source": ("Filnamnet", source), "checklist": ("Checklistan", content_of(checklist))})
    if checklist.composed:
        raise ValidationFailed(
            [
                f"Checklistan {checklist.key!r} sätts samman automatiskt och kan inte laddas upp. "
                "Ändra grundlistan (t.ex. avtalsuppfoljning eller en ska_krav-lista) i stället."
            ]
        )
    current = latest(session, checklist.key)
    if current is not None and current.sha256 == content_hash(checklist):
        raise ChecklistUnchanged(checklist.key, current.version)
    _refuse_requirements_in_agenda(checklist)
    return _store(session, actor, checklist, source, current.version if current else 0)


def _refuse_requirements_in_agenda(checklist: Checklist) -> None:
    """Point 3 holds the contract's own requirements: a checklist may put questions there, but
    no SKA- or BÖR-krav of its own (they would not be the contract's words)."""
    section = checklist.section_with_role(SectionRole.requirements)
    if section is None:
        return
    own = [i.key for i in section.items if i.kind is not ItemKind.fraga]
    if own:
        raise ValidationFailed(
            [
                f'Avsnittet "{section.title}" tar emot avtalets egna krav när uppföljningen '
                f"startar; SKA- och BÖR-krav skrivs in i avtalet, inte i checklistan "
                f"({', '.join(own)}). Gör dem till frågor eller flytta dem till avtalet."
            ]
        )


@dataclass
class SyncResult:
    """What `sync_shipped` did: versions stored, files skipped with their errors."""

    created: list[ChecklistVersion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sync_shipped(session: Session, actor: Actor, directory: Path | None = None) -> SyncResult:
    """Store a new version of every shipped YAML checklist whose content is new (idempotent).

    A file is stored only when its content equals no stored version of its key, so an unchanged
    file never overwrites a version imported in the app; an updated file (a new release) does
    become the newest version, with the earlier ones kept in the history.
    """
    require(actor, EDIT_CHECKLISTS, "läsa in checklistor")
    folder = directory or get_settings().checklist_dir
    result = SyncResult()
    newest: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    rows = session.exec(
        select(ChecklistVersion.key, ChecklistVersion.version, ChecklistVersion.sha256)
    )
    for key, version, sha in rows:
        newest[key] = max(version, newest.get(key, 0))
        seen.setdefault(key, set()).add(sha)
    for path in sorted(folder.glob("*.yaml")):
        try:
            checklist = load_yaml(path)
        except ValidationFailed as exc:
            result.errors.extend(f"{path.name}: {e.message}" for e in exc.errors)
            log.warning("Shipped checklist %s is invalid: %s", path, exc.message)
            continue
        if checklist.key != path.stem or checklist.composed:
            result.errors.append(
                f"{path.name}: id {checklist.key!r} ska vara samma som filnamnet ({path.stem!r})."
            )
            continue
        if content_hash(checklist) in seen.get(checklist.key, set()):
            continue
        try:
            _refuse_requirements_in_agenda(checklist)
        except ValidationFailed as exc:
            result.errors.extend(f"{path.name}: {e.message}" for e in exc.errors)
            continue
        result.created.append(
            _store(
                session,
                actor,
                checklist,
                f"medföljande fil {path.name}",
                newest.get(checklist.key, 0),
            )
        )
    return result


# --------------------------------------------------------------------------- requirement lists


def is_requirement_list(checklist: Checklist) -> bool:
    """A standard list of requirements for some unit kinds (a starting point for contracts)."""
    return (
        bool(checklist.applies_to)
        and checklist.section_with_role(SectionRole.requirements) is None
        and not checklist.composed
    )


def requirement_lists(session: Session) -> list[Checklist]:
    """The newest version of every standard requirement list."""
    parsed = [checklist_of(cv) for cv in list_latest(session, include_composed=False)]
    return [c for c in parsed if is_requirement_list(c)]
