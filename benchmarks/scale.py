"""Grow a demo database to a given number of follow-ups quickly (bulk copies of demo history)."""

import random
import uuid
from datetime import timedelta

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from audit_app.models import (
    Action,
    Assessment,
    Finding,
    FollowUp,
    FollowUpStatus,
    FollowUpUnit,
    utcnow,
)


def grow(engine: Engine, target_followups: int, seed: int = 3) -> int:
    """Copy justerade demo follow-ups (with assessments, findings, actions) back in time."""
    rng = random.Random(seed)
    with Session(engine) as session:
        templates = list(
            session.exec(
                select(FollowUp).where(FollowUp.status == FollowUpStatus.justerad)
            ).scalars()  # type: ignore[call-overload]
        )
        count = session.query(FollowUp).count()
        units = {
            fid: uid
            for fid, uid in session.execute(select(FollowUpUnit.followup_id, FollowUpUnit.unit_id))
        }
        assessments: dict[uuid.UUID, list[Assessment]] = {}
        for a in session.exec(select(Assessment)).scalars():  # type: ignore[call-overload]
            assessments.setdefault(a.followup_id, []).append(a)
        findings: dict[uuid.UUID, list[Finding]] = {}
        for f in session.exec(select(Finding)).scalars():  # type: ignore[call-overload]
            findings.setdefault(f.followup_id, []).append(f)
        actions: dict[uuid.UUID, list[Action]] = {}
        for a in session.exec(select(Action)).scalars():  # type: ignore[call-overload]
            actions.setdefault(a.finding_id, []).append(a)
    now = utcnow()
    rows_f, rows_u, rows_a, rows_fi, rows_ac = [], [], [], [], []
    shift = 0
    while count < target_followups:
        shift += 1
        for t in templates:
            if count >= target_followups:
                break
            fid = uuid.uuid4()
            day = t.planned_date - timedelta(days=730 * shift + rng.randint(0, 20))
            rows_f.append(
                {
                    c: getattr(t, c)
                    for c in FollowUp.model_fields
                    if c not in ("id", "planned_date", "previous_id", "created_at", "updated_at")
                }
                | {
                    "id": fid,
                    "planned_date": day,
                    "previous_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if t.id in units:
                rows_u.append({"followup_id": fid, "unit_id": units[t.id]})
            for a in assessments.get(t.id, []):
                rows_a.append(
                    {
                        c: getattr(a, c)
                        for c in Assessment.model_fields
                        if c not in ("id", "followup_id", "created_at", "updated_at")
                    }
                    | {"id": uuid.uuid4(), "followup_id": fid, "created_at": now, "updated_at": now}
                )
            for fi in findings.get(t.id, []):
                new_fi = uuid.uuid4()
                rows_fi.append(
                    {
                        c: getattr(fi, c)
                        for c in Finding.model_fields
                        if c
                        not in (
                            "id",
                            "followup_id",
                            "recheck_followup_id",
                            "created_at",
                            "updated_at",
                        )
                    }
                    | {
                        "id": new_fi,
                        "followup_id": fid,
                        "recheck_followup_id": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for ac in actions.get(fi.id, []):
                    rows_ac.append(
                        {
                            c: getattr(ac, c)
                            for c in Action.model_fields
                            if c
                            not in (
                                "id",
                                "finding_id",
                                "verified_in_id",
                                "created_at",
                                "updated_at",
                            )
                        }
                        | {
                            "id": uuid.uuid4(),
                            "finding_id": new_fi,
                            "verified_in_id": None,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            count += 1
    with engine.begin() as conn:
        for model, rows in (
            (FollowUp, rows_f),
            (FollowUpUnit, rows_u),
            (Assessment, rows_a),
            (Finding, rows_fi),
            (Action, rows_ac),
        ):
            for i in range(0, len(rows), 2000):
                conn.execute(insert(model), rows[i : i + 2000])  # type: ignore[arg-type]
    return count
