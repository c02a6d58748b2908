"""Who changed what, when: one ChangeLog row per changed field."""

import uuid
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from audit_app.auth import Actor, display_name
from audit_app.db import fetch
from audit_app.models import ChangeLog, utcnow

T = TypeVar("T", bound=SQLModel)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def record_changes(
    session: Session, actor: Actor, obj: SQLModel, changes: dict[str, Any], *, created: bool = False
) -> list[str]:
    """Apply `changes` to `obj`, log each field that really changed, return their names."""
    changed = []
    entity = str(type(obj).__tablename__)
    entity_id = str(obj.id)  # type: ignore[attr-defined]
    for field, new in changes.items():
        old = getattr(obj, field)
        if old == new and not created:
            continue
        setattr(obj, field, new)
        changed.append(field)
        session.add(
            ChangeLog(
                user_id=actor.user_id,
                entity=entity,
                entity_id=entity_id,
                field=field,
                old=None if created else _text(old),
                new=_text(new),
            )
        )
    if changed and hasattr(obj, "updated_at"):
        obj.updated_at = utcnow()
        obj.updated_by_id = actor.user_id
        if not created:
            obj.version += 1  # type: ignore[attr-defined]
    session.add(obj)
    return changed


def create_or_update(
    session: Session,
    actor: Actor,
    model: type[T],
    record_id: uuid.UUID | None,
    changes: dict[str, Any],
    missing: str,
) -> T:
    """Create a record with these values (no id), or apply them to the stored one (NotFound
    with the Swedish `missing` message if there is none); every field logged; flushed."""
    if record_id is None:
        record = model(**changes, updated_by_id=actor.user_id)
        record_changes(session, actor, record, changes, created=True)
    else:
        record = fetch(session, model, record_id, missing)
        record_changes(session, actor, record, changes)
    session.flush()
    return record


def log_event(session: Session, actor: Actor, entity: str, entity_id: uuid.UUID, what: str) -> None:
    """Log an event that is not a field change (archived, justerad, new version)."""
    session.add(
        ChangeLog(user_id=actor.user_id, entity=entity, entity_id=str(entity_id), field=what)
    )


def history(session: Session, entity_id: uuid.UUID) -> list[ChangeLog]:
    return list(
        session.exec(
            select(ChangeLog).where(ChangeLog.entity_id == str(entity_id)).order_by(ChangeLog.at)  # type: ignore[arg-type]
        )
    )


def last_change(
    session: Session, entity: str, entity_id: uuid.UUID, field: str
) -> tuple[str, datetime | None]:
    """Who last changed a field (display name) and when, from the change log."""
    row = session.exec(
        select(ChangeLog.user_id, ChangeLog.at)
        .where(
            ChangeLog.entity == entity,
            ChangeLog.entity_id == str(entity_id),
            ChangeLog.field == field,
        )
        .order_by(col(ChangeLog.at).desc())
    ).first()
    if row is None:
        return "", None
    return display_name(session, row[0]), row[1]
