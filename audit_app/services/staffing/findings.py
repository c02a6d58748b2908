"""Breaches of a stored analysis as proposed findings (avvikelser) of the follow-up.

A finding made here has `source = bemanning` and `source_ref = "<kind>:<section>:<period>"`
(or "andel" for the competent-hours share), so running it again updates the same findings.
"""

import hashlib
import uuid
from typing import Any

from sqlmodel import Session

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain.svtext import sv_period
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import Finding, FindingKind, FindingSource, FindingStatus, FollowUp
from audit_app.services import followups, registers
from audit_app.services.audit_log import record_changes
from audit_app.services.privacy import guard
from audit_app.services.staffing.analysis import iso_date, share_text
from audit_app.services.staffing.store import get_analysis

SHARE_REF = "andel"
"""`Finding.source_ref` of the finding for a competent-hours share below the commitment."""

WITHDRAWN = "Bristen finns inte i den senaste schemagranskningen."
"""`Finding.withdraw_reason` of a proposal whose breach a later analysis no longer shows."""

STAFFING_AREA = "Bemanning och kompetens"
CLAUSE_WORDS = ("personaltäthet", "bemanning")
"""Words that mark the contract's staffing requirement, best first."""

MAX_REF = 200  # Finding.source_ref


def suggested_clause(session: Session, followup: FollowUp) -> str:
    """Return the clause of the contract's staffing requirement, or "" when none is found.

    The follow-up's frozen agenda is searched first (requirements from the contract), then the
    contract's current requirements: a requirement mentioning personaltäthet wins over one
    mentioning bemanning.
    """
    candidates: list[tuple[str, str]] = [
        (str(item.get("clause") or ""), str(item.get("text") or ""))
        for item in followup.agenda or []
        if item.get("source") == "contract"
    ]
    if not candidates and followup.contract_id is not None:
        candidates = [
            (r.clause, r.text) for r in registers.list_requirements(session, followup.contract_id)
        ]
    for word in CLAUSE_WORDS:
        for clause, text in candidates:
            if clause.strip() and word in text.casefold():
                return clause.strip()
    return ""


def _area(followup: FollowUp, clause: str) -> str:
    for item in followup.agenda or []:
        if clause and str(item.get("clause") or "").strip() == clause and item.get("area"):
            return str(item["area"])
    return STAFFING_AREA


def source_ref(kind: str, section: str, period: str) -> str:
    """Return the `source_ref` of the finding for one section, period and kind of breach."""
    ref = f"{kind}:{section}:{period}"
    if len(ref) <= MAX_REF:
        return ref
    return f"{kind}:{hashlib.sha256(ref.encode()).hexdigest()[:16]}"


def _breach_groups(result: dict[str, Any], rules: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (source_ref, title, description) of every finding an analysis gives."""
    first, last = iso_date(result.get("from")), iso_date(result.get("to"))
    scope = f" under perioden {sv_period(first, last)}" if first and last else ""
    times = {
        str(p.get("name")): f"{p.get('start')}–{p.get('end')}" for p in rules.get("periods") or []
    }
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for b in result.get("breaches") or []:
        key = (str(b.get("kind")), str(b.get("section")), str(b.get("period")))
        groups.setdefault(key, []).append(b)
    period_order = {name: i for i, name in enumerate(times)}
    section_order = {name: i for i, name in enumerate(rules.get("sections") or [])}
    out = []
    for (kind, section, period), rows in sorted(
        groups.items(),
        key=lambda kv: (
            section_order.get(kv[0][1], 99),
            period_order.get(kv[0][2], 99),
            kv[0][0] != "staff",
        ),
    ):
        required = max(int(r.get("required") or 0) for r in rows)
        what = "i tjänst" if kind == "staff" else "med kompetens"
        count = len(rows)
        title = f"{section}, {period}: färre {what} än åtagandet ({count} pass)"
        days = []
        for r in sorted(rows, key=lambda r: str(r.get("date"))):
            day = iso_date(r.get("date"))
            shown = f"{day.day}/{day.month}" if day else str(r.get("date"))
            days.append(f"{shown} ({r.get('present')} av {r.get('required')})")
        clock = f" ({times[period]})" if period in times else ""
        commitment = (
            f"minst {required} i tjänst"
            if kind == "staff"
            else f"minst {required} med kompetens i tjänst"
        )
        counted = "i tjänst" if kind == "staff" else "med kompetens i tjänst"
        description = (
            f"Enligt schemat{scope} var det färre {what} än åtagandet ({commitment}) på "
            f"{section}, {period.lower()}{clock}, {count} "
            f"{'gång' if count == 1 else 'gånger'}: {', '.join(days)}. "
            f"Siffran är det lägsta antalet {counted} under passet."
        )
        out.append((source_ref(kind, section, period), title, description))
    if result.get("share_breached"):
        share = float(result.get("competent_share") or 0)
        required_share = result.get(
            "min_competent_hours_share", rules.get("min_competent_hours_share")
        )
        target = float(required_share) if required_share is not None else None
        required_text = f"; åtagandet är minst {share_text(target)}" if target is not None else ""
        out.append(
            (
                SHARE_REF,
                "Andelen timmar med kompetent personal är lägre än åtagandet",
                f"Enligt schemat{scope} utfördes {share_text(share, target)} av de arbetade "
                f"timmarna av personal med kompetens enligt avtalet{required_text}.",
            )
        )
    return out


def _checked_clause(session: Session, followup: FollowUp, clause: str | None) -> str:
    clause = " ".join((clause or "").split()) or suggested_clause(session, followup)
    if not clause:
        raise ValidationFailed(
            [
                FieldError(
                    "clause",
                    "Avtalspunkt: avtalet har inget krav om bemanning eller personaltäthet. "
                    "Ange vilken punkt i avtalet bristerna gäller, t.ex. 5.1.1.",
                )
            ]
        )
    if len(clause) > 40:
        raise ValidationFailed(
            [FieldError("clause", "Avtalspunkt: skriv bara punktens nummer, högst 40 tecken.")]
        )
    return clause


def breaches_to_findings(
    session: Session, actor: Actor, analysis_id: uuid.UUID, clause: str | None = None
) -> list[Finding]:
    """Propose an avvikelse per breach group of a stored analysis; return the proposals.

    One finding per section, period and kind (bemanning or kompetens) with its dates listed,
    and one for a competent-hours share below the commitment. `clause` is the contract clause
    the findings cite; blank means the contract's staffing requirement (`suggested_clause`).
    Running it again creates no duplicates: a proposal still waiting is updated, a confirmed
    or rejected finding is left as it is, and a waiting proposal whose breach is gone from
    this analysis is withdrawn (status avfärdad, `withdraw_reason` says why).
    """
    require(actor, CONDUCT, "föreslå avvikelser")
    guard({"clause": ("Avtalspunkt", clause)})
    analysis = get_analysis(session, analysis_id)
    followup = followups.get_followup(session, analysis.followup_id)
    followups.assert_editable(followup)
    clause = _checked_clause(session, followup, clause)
    area = _area(followup, clause)
    existing: dict[str, Finding] = {
        f.source_ref: f
        for f in followups.findings_of(session, followup.id)
        if f.source is FindingSource.bemanning
    }
    proposals: list[Finding] = []
    wanted: set[str] = set()
    for ref, title, description in _breach_groups(analysis.result or {}, analysis.rules or {}):
        wanted.add(ref)
        finding = existing.get(ref)
        changes: dict[str, Any] = {
            "title": title[:300],
            "description": description,
            "clause": clause,
            "area": area,
        }
        if finding is None:
            finding = Finding(
                followup_id=followup.id,
                kind=FindingKind.avvikelse,
                status=FindingStatus.foreslagen,
                source=FindingSource.bemanning,
                source_ref=ref,
                item_key=None,
                unit_id=analysis.unit_id,
                updated_by_id=actor.user_id,
            )
            record_changes(
                session,
                actor,
                finding,
                {"status": FindingStatus.foreslagen, **changes},
                created=True,
            )
        elif finding.status is FindingStatus.foreslagen:
            record_changes(session, actor, finding, changes)
        proposals.append(finding)
    for ref, finding in existing.items():
        if ref not in wanted and finding.status is FindingStatus.foreslagen:
            record_changes(
                session,
                actor,
                finding,
                {"status": FindingStatus.avfardad, "withdraw_reason": WITHDRAWN},
            )
    session.flush()
    return proposals


def propose_findings(
    session: Session, actor: Actor, analysis_id: uuid.UUID, clause: str | None = None
) -> tuple[int, int]:
    """Propose findings from an analysis (see `breaches_to_findings`); return how many are new
    and how many existed already."""
    require(actor, CONDUCT, "föreslå avvikelser från schemagranskningen")
    guard({"clause": ("Avtalspunkt", clause)})
    analysis = get_analysis(session, analysis_id)
    before = {f.id for f in followups.findings_of(session, analysis.followup_id)}
    found = breaches_to_findings(session, actor, analysis_id, clause)
    new = sum(1 for f in found if f.id not in before)
    return new, len(found) - new
