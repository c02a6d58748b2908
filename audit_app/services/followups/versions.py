"""Snapshots of justerade versions and what changed between two of them."""

from typing import Any

from sqlmodel import Session

from audit_app.auth import display_name
from audit_app.domain.labels import (
    FINDING_KIND_LABELS,
    RESULT_LABELS,
)
from audit_app.domain.svtext import short
from audit_app.models import (
    FindingKind,
    FollowUp,
    Result,
)
from audit_app.services.followups.queries import (
    actions_of,
    assessments_of,
    findings_of,
    notes_of,
    reviews_of,
    unit_names,
)


def snapshot(session: Session, followup: FollowUp) -> dict[str, Any]:
    """The whole follow-up as plain data: what a justerad version keeps readable."""
    assessments = assessments_of(session, followup.id)
    findings = findings_of(session, followup.id)
    return {
        "id": str(followup.id),
        "version": followup.doc_version,
        "kind": followup.kind.value,
        "title": followup.title,
        "planned_date": followup.planned_date.isoformat(),
        "planned_time": followup.planned_time,
        "place": followup.place,
        "methods": list(followup.methods),
        "reason": followup.reason.value if followup.reason else None,
        "participants": list(followup.participants),
        "units": unit_names(session, [followup.id])[followup.id],
        "notes": notes_of(session, followup.id),
        "agenda": list(followup.agenda),
        "assessments": {
            k: {"result": a.result.value, "value": a.value, "comment": a.comment}
            for k, a in assessments.items()
        },
        "findings": [
            {
                "id": str(f.id),
                "kind": f.kind.value,
                "status": f.status.value,
                "item_key": f.item_key,
                "clause": f.clause,
                "title": f.title,
                "description": f.description,
                "downgrade_reason": f.downgrade_reason,
                "actions": [
                    {
                        "id": str(a.id),
                        "what": a.what,
                        "responsible": a.responsible,
                        "due_date": a.due_date.isoformat() if a.due_date else None,
                        "status": a.status.value,
                    }
                    for a in actions_of(session, f.id)
                ],
            }
            for f in findings
        ],
        "reviews": {
            str(k): {"status": r.status.value, "comment": r.comment}
            for k, r in reviews_of(session, followup.id).items()
        },
        "justerad_by": display_name(session, followup.justerad_by_id),
        "correction_reason": followup.correction_reason,
    }


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Say in Swedish what changed between two versions of a follow-up."""
    lines: list[str] = []
    titles = {
        i["key"]: i.get("text", i["key"]) for i in new.get("agenda", []) + old.get("agenda", [])
    }
    for key in sorted(set(old["assessments"]) | set(new["assessments"])):
        a, b = old["assessments"].get(key), new["assessments"].get(key)
        if a == b:
            continue
        name = short(titles.get(key, key), 70)
        if a is None or b is None:
            lines.append(f"Bedömning av {name!r} {'tillagd' if a is None else 'borttagen'}.")
            continue
        if a["result"] != b["result"]:
            lines.append(
                f"{name!r}: {RESULT_LABELS[Result(a['result'])]} → {RESULT_LABELS[Result(b['result'])]}."
            )
        if a["comment"] != b["comment"] or a["value"] != b["value"]:
            lines.append(f"{name!r}: kommentaren eller svaret är ändrat.")
    old_f = {f["id"]: f for f in old["findings"]}
    new_f = {f["id"]: f for f in new["findings"]}
    for fid in new_f.keys() - old_f.keys():
        lines.append(
            f"Ny {FINDING_KIND_LABELS[FindingKind(new_f[fid]['kind'])].lower()}: {new_f[fid]['title']!r}."
        )
    for fid in old_f.keys() - new_f.keys():
        lines.append(f"Borttagen iakttagelse: {old_f[fid]['title']!r}.")
    for fid in old_f.keys() & new_f.keys():
        if old_f[fid] != new_f[fid]:
            lines.append(f"Ändrad iakttagelse eller åtgärd: {new_f[fid]['title']!r}.")
    return lines
