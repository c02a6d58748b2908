"""Evidence files of a follow-up: stored under the data folder with their SHA-256."""

import hashlib
import os
import re
import uuid
from pathlib import Path

from sqlmodel import Session, col, select

from audit_app.auth import CONDUCT, Actor, require
from audit_app.config import get_settings
from audit_app.domain.svtext import sv_number
from audit_app.errors import ValidationFailed
from audit_app.models import Evidence
from audit_app.services import followups
from audit_app.services.privacy import guard
from audit_app.services.untrusted.limits import MB, file_limits


def _safe_name(filename: str) -> str:
    name = Path(filename).name
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")
    return name[:120] or "underlag"


def store_evidence(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    item_key: str,
    filename: str,
    data: bytes,
) -> Evidence:
    """Store an uploaded file for an agenda item; the file is written before the row is added."""
    require(actor, CONDUCT, "ladda upp underlag")
    guard({"filename": ("Filnamnet", filename), "item_key": ("Punkt", item_key)})
    followup = followups.get_followup(session, followup_id)
    followups.assert_editable(followup)
    followups.agenda_item(followup, item_key)
    if not data:
        raise ValidationFailed([f"Filen {filename!r} är tom."])
    cap = file_limits().evidence_bytes  # AUDIT_EVIDENCE_MAX_MB
    if len(data) > cap:
        raise ValidationFailed(
            [
                f"Filen {filename!r} är {sv_number(len(data) / MB, 1)} MB; högst "
                f"{sv_number(cap / MB, 1)} MB tas emot."
            ]
        )
    digest = hashlib.sha256(data).hexdigest()
    folder = get_settings().data_dir / "underlag" / str(followup_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:16]}_{_safe_name(filename)}"
    if not target.exists():
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    evidence = Evidence(
        followup_id=followup_id,
        item_key=item_key,
        filename=_safe_name(filename),
        stored_path=str(target),
        sha256=digest,
        size=len(data),
        uploaded_by_id=actor.user_id,
    )
    session.add(evidence)
    session.flush()
    return evidence


def evidence_of(session: Session, followup_id: uuid.UUID) -> dict[str, list[Evidence]]:
    rows = session.exec(
        select(Evidence)
        .where(Evidence.followup_id == followup_id)
        .order_by(col(Evidence.uploaded_at))
    )
    out: dict[str, list[Evidence]] = {}
    for row in rows:
        out.setdefault(row.item_key, []).append(row)
    return out


def read_evidence(evidence: Evidence) -> bytes:
    """Read a stored file and check that it is unchanged."""
    data = Path(evidence.stored_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise ValidationFailed(
            [f"Underlaget {evidence.filename!r} har ändrats sedan det laddades upp."]
        )
    return data
