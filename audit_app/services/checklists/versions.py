"""Stored checklist versions: import, the shipped files, the newest and the history, composition.

A follow-up pins one immutable `ChecklistVersion`, so editing a checklist never changes a
follow-up that already uses it.

Merging of the standard SKA-krav lists: a checklist with a checklist-level `applies_to` and no
section with role requirements is a *requirement list* (e.g. `ska_krav_sarskilt_boende`).
Whenever an agenda checklist (one with a requirements section, e.g. `avtalsuppfoljning`) or a
requirement list gets a new version, a *composed* checklist is stored under the key
`<agenda>.<unit kind>` (e.g. `avtalsuppfoljning.sarskilt_boende`): the agenda with the list's
items appended to the requirements section (each item's `area` set to its list section).
`checklist_for_kind(session, "avtal", unit_kind)` returns the composed version when there is one,
so the pinned version alone reproduces the agenda. Keys with a dot are reserved for composed
checklists and cannot be imported.
"""

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from audit_app.auth import EDIT_CHECKLISTS, Actor, require
from audit_app.config import get_settings
from audit_app.domain.labels import UNIT_KIND_LABELS
from audit_app.errors import Conflict, NotFound, UserError, ValidationFailed
from audit_app.models import ChecklistVersion, FollowUpKind, SectionRole, UnitKind
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
    return list(
        session.exec(
            select(ChecklistVersion)
            .where(ChecklistVersion.key == key)
            .order_by(col(ChecklistVersion.version).desc())
        )
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
    session: Session,
    followup_kind: FollowUpKind | str,
    unit_kind: UnitKind | str | None = None,
) -> ChecklistVersion | None:
    """Return the version to pin when planning a follow-up of this kind (None if there is none).

    For `avtal` and a unit kind with a standard SKA-krav list, this is the composed
    `avtalsuppfoljning.<unit kind>`; otherwise the newest version of the kind's default key,
    or of any checklist of that kind.
    """
    kind = FollowUpKind(followup_kind)
    key = DEFAULT_KEYS.get(kind)
    if key is not None:
        if unit_kind is not None:
            composed = latest(session, f"{key}{COMPOSED_SEPARATOR}{UnitKind(unit_kind).value}")
            if composed is not None:
                return composed
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
    """Return the newest version of every checklist usable for this kind of follow-up."""
    kind = FollowUpKind(followup_kind).value
    return [cv for cv in list_latest(session) if cv.kind == kind]


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
    cv = _store(session, actor, checklist, source, current.version if current else 0)
    refresh_composed(session, actor)
    return cv


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
        result.created.append(
            _store(
                session,
                actor,
                checklist,
                f"medföljande fil {path.name}",
                newest.get(checklist.key, 0),
            )
        )
    if result.created or not any(COMPOSED_SEPARATOR in k for k in newest):
        result.created.extend(refresh_composed(session, actor))
    return result


# --------------------------------------------------------------------------- composition


def _has_requirements_section(checklist: Checklist) -> bool:
    return checklist.section_with_role(SectionRole.requirements) is not None


def _is_requirement_list(checklist: Checklist) -> bool:
    """A standard list of requirements for some unit kinds (merged into agenda checklists)."""
    return bool(checklist.applies_to) and not _has_requirements_section(checklist)


def compose(base: Checklist, lists: Sequence[Checklist], unit_kind: UnitKind) -> Checklist:
    """Merge requirement lists into the base's contract section, for one unit kind."""
    sections = []
    for section in base.sections:
        if section.role is SectionRole.requirements:
            extra = [
                item.model_copy(update={"area": item.area or s.title})
                for lst in lists
                for s in lst.sections
                for item in s.items
                if not item.applies_to or unit_kind in item.applies_to
            ]
            section = section.model_copy(update={"items": [*section.items, *extra]})
        sections.append(section)
    names = ", ".join(f"{lst.key} version {lst.version}" for lst in lists)
    note = (
        f"Sammansatt automatiskt av {base.key} version {base.version} och {names} för "
        f"{UNIT_KIND_LABELS[unit_kind].lower()}."
    )
    description = f"{note}\n\n{base.description}".strip()[:4000]
    return Checklist.model_validate(
        {
            **content_of(base),
            "key": f"{base.key}{COMPOSED_SEPARATOR}{unit_kind.value}",
            "name": f"{base.name} – {UNIT_KIND_LABELS[unit_kind].lower()}"[:200],
            "description": description,
            "applies_to": [unit_kind.value],
            "sections": [s.model_dump(mode="json") for s in sections],
        }
    )


def refresh_composed(session: Session, actor: Actor) -> list[ChecklistVersion]:
    """Store new composed versions where an agenda or a requirement list changed."""
    require(actor, EDIT_CHECKLISTS, "spara checklistor")
    parsed = [checklist_of(cv) for cv in list_latest(session, include_composed=False)]
    bases = [c for c in parsed if _has_requirements_section(c)]
    lists = [c for c in parsed if _is_requirement_list(c)]
    created = []
    for base in bases:
        for unit_kind in UnitKind:
            matching = [
                lst for lst in lists if lst.kind is base.kind and unit_kind in lst.applies_to
            ]
            if not matching:
                continue
            try:
                composed = compose(base, matching, unit_kind)
            except ValidationError as exc:
                log.warning("Cannot compose %s for %s: %s", base.key, unit_kind.value, exc)
                continue
            current = latest(session, composed.key)
            if current is not None and current.sha256 == content_hash(composed):
                continue
            source = "Sammansatt av " + " + ".join(
                f"{c.key} v{c.version}" for c in (base, *matching)
            )
            created.append(
                _store(session, actor, composed, source, current.version if current else 0)
            )
    return created
