"""Staffing review in the database: stored analyses, saved column mappings, contract rules and
proposed findings from breaches.

The engine (`staffing.py`) reads and analyses; this module stores what may be kept: figures,
breaches and the per-period table of an analysis, the file's SHA-256 and the count of distinct
people, never a name. Every write checks the role and that the follow-up is editable, and
raises before anything is added to the session, so a bad file stores nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml
from sqlmodel import Session, col, select

from audit_app.auth import CONDUCT, EDIT_REGISTERS, Actor, require
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    ScheduleMapping,
    StaffingAnalysis,
    Unit,
    utcnow,
)
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.staffing import (
    FIELDS,
    RulesError,
    ScheduleError,
    ScheduleLayout,
    StaffingRules,
    analyse,
    inspect_schedule,
    load_rules,
    read_schedule,
    rules_to_yaml,
)

__all__ = [
    "FINDING_KEY_PREFIX",
    "SHARE_KEY",
    "analyses_of",
    "breaches_to_findings",
    "get_analysis",
    "layout_for",
    "rules_for",
    "rules_list_to_yaml",
    "save_analysis",
    "save_mapping",
    "save_rules_yaml",
    "saved_mapping",
    "suggested_clause",
    "validate_rules_yaml",
]

FINDING_KEY_PREFIX = "bemanning:"
"""`Finding.item_key` of findings made from breaches: bemanning:<kind>:<section>:<period>."""

SHARE_KEY = FINDING_KEY_PREFIX + "andel"
"""`Finding.item_key` of the finding for a competent-hours share below the commitment."""

STAFFING_AREA = "Bemanning och kompetens"
CLAUSE_WORDS = ("personaltäthet", "bemanning")
"""Words that mark the contract's staffing requirement, best first."""

_MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


# --------------------------------------------------------------------------- formatting


def _sv_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _sv_period(first: date, last: date) -> str:
    if first.year == last.year and first.month == last.month:
        return f"{first.day}–{last.day} {_MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {_sv_date(last)}"
    return f"{_sv_date(first)} – {_sv_date(last)}"


def _sv_number(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _sv_percent(share: float) -> str:
    text = f"{share * 100:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + " %"


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- rules


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def rules_for(session: Session, contract_id: uuid.UUID, unit_name: str) -> StaffingRules | None:
    """Return the contract's staffing rules for the unit (matched by name), or None."""
    contract = reg.get_contract(session, contract_id)
    for entry in contract.staffing_rules or []:
        if _norm(str(entry.get("unit", ""))) == _norm(unit_name):
            try:
                return StaffingRules.model_validate(entry)
            except ValueError:
                return None  # stored before validation existed; the editor shows the problem
    return None


def rules_list_to_yaml(rules: Sequence[Mapping[str, Any]]) -> str:
    """Return a contract's rules as YAML: one document per unit in the exchange format,
    separated by `---` lines (the format `validate_rules_yaml` reads)."""
    docs = []
    for entry in rules:
        try:
            docs.append(rules_to_yaml(StaffingRules.model_validate(entry)))
        except ValueError:
            docs.append(yaml.safe_dump(dict(entry), allow_unicode=True, sort_keys=False))
    return "---\n".join(docs)


def _joined(prefix: str, text: str) -> str:
    """Prefix a message with its unit, or start it with a capital letter."""
    return prefix + text if prefix else text[:1].upper() + text[1:]


def validate_rules_yaml(text: str, unit_names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Read a contract's staffing rules from YAML; raise `RulesError` with Swedish messages.

    The text is one YAML document per unit in the exchange format of the issue (documents
    separated by a line `---`), or one document that is a list of such tables. Empty text means
    no commitments. With `unit_names`, every `unit` must be one of them (the contract's units).
    Returns the rules as JSON-ready dicts, as stored in `Contract.staffing_rules`.
    """
    try:
        docs = [d for d in yaml.safe_load_all(text or "") if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}" if mark is not None else ""
        raise RulesError([f"Åtagandena är inte giltig YAML{where}."]) from None
    entries: list[Any] = []
    for doc in docs:
        entries.extend(doc if isinstance(doc, list) else [doc])
    messages: list[str] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    known = {_norm(u): u for u in unit_names} if unit_names is not None else None
    for number, entry in enumerate(entries, start=1):
        label = str(entry.get("unit", "")).strip() if isinstance(entry, dict) else ""
        prefix = "" if len(entries) == 1 else f"Enhet nr {number}{f' ({label})' if label else ''}: "
        if not isinstance(entry, dict):
            messages.append(
                _joined(
                    prefix,
                    "varje enhet ska vara en YAML-tabell med fälten unit, sections, "
                    "places_per_section, competence, periods och min_competent_hours_share.",
                )
            )
            continue
        try:
            rules = load_rules(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False))
        except RulesError as exc:
            messages.extend(prefix + m for m in exc.messages)
            continue
        key = _norm(rules.unit)
        if key in seen:
            messages.append(
                _joined(
                    prefix,
                    f"enheten {rules.unit} har redan åtaganden i enhet nr {seen[key]}; "
                    "ange varje enhet en gång.",
                )
            )
            continue
        seen[key] = number
        if known is not None and key not in known:
            names = ", ".join(unit_names or []) or "inga"
            messages.append(
                _joined(
                    prefix,
                    f"enheten {rules.unit} finns inte i avtalet (avtalets enheter: {names}). "
                    "Skriv enhetens namn som i registret.",
                )
            )
            continue
        if known is not None:
            rules = rules.model_copy(update={"unit": known[key]})
        out.append(rules.model_dump(mode="json"))
    if messages:
        raise RulesError(messages)
    return out


def save_rules_yaml(
    session: Session, actor: Actor, contract_id: uuid.UUID, text: str
) -> list[dict[str, Any]]:
    """Validate YAML against the contract's units and store it as the contract's commitments."""
    require(actor, EDIT_REGISTERS, "ändra avtalets bemanningsåtaganden")
    units = [session.get(Unit, unit_id) for unit_id in reg.contract_unit_ids(session, contract_id)]
    rules = validate_rules_yaml(text, [u.name for u in units if u is not None])
    reg.set_staffing_rules(session, actor, contract_id, rules)
    session.flush()
    return rules


# --------------------------------------------------------------------------- column mapping


def saved_mapping(session: Session, contractor_id: uuid.UUID) -> dict[str, str]:
    """Return the contractor's saved corrections of the detected columns (field -> header)."""
    row = session.get(ScheduleMapping, contractor_id)
    if row is None:
        return {}
    return {str(k): str(v or "") for k, v in (row.mapping or {}).items() if k in FIELDS}


def save_mapping(
    session: Session, actor: Actor, contractor_id: uuid.UUID, mapping: Mapping[str, str]
) -> ScheduleMapping:
    """Save the column corrections used for the contractor's schedules (replaces earlier ones)."""
    require(actor, CONDUCT, "spara kolumnval för scheman")
    clean = {f: (mapping.get(f) or "").strip() for f in FIELDS if f in mapping}
    row = session.get(ScheduleMapping, contractor_id)
    if row is None:
        row = ScheduleMapping(contractor_id=contractor_id)
    row.mapping = clean
    row.updated_at = utcnow()
    row.updated_by_id = actor.user_id
    session.add(row)
    return row


def layout_for(
    data: bytes, filename: str, saved: Mapping[str, str] | None = None
) -> tuple[ScheduleLayout, bool]:
    """Inspect a schedule for the mapping editor, with the saved corrections when they fit.

    Returns the layout and whether the saved corrections were applied. Saved corrections
    naming a header the file lacks are dropped; if the file cannot be read with them, it is
    read without. Raise `ScheduleError` when no header row is found at all.
    """
    if saved:
        try:
            plain = inspect_schedule(data, filename=filename)
        except ScheduleError:
            plain = None
        present = {_norm(h) for h in plain.headers} if plain is not None else None
        usable = {f: h for f, h in saved.items() if not h or present is None or _norm(h) in present}
        if usable:
            try:
                return inspect_schedule(data, filename=filename, mapping=usable), True
            except ScheduleError:
                if plain is None:
                    raise
        if plain is not None:
            return plain, False
    return inspect_schedule(data, filename=filename), False


def _corrections(detected: Mapping[str, str], chosen: Mapping[str, str]) -> dict[str, str]:
    """Return the fields where the chosen column differs from the detected one."""
    return {
        f: (chosen.get(f) or "").strip()
        for f in FIELDS
        if f in chosen and _norm(chosen.get(f) or "") != _norm(detected.get(f) or "")
    }


# --------------------------------------------------------------------------- analyses


def analyses_of(session: Session, followup_id: uuid.UUID) -> list[StaffingAnalysis]:
    """Return the follow-up's stored analyses, oldest first (the last one is current)."""
    return list(
        session.exec(
            select(StaffingAnalysis)
            .where(StaffingAnalysis.followup_id == followup_id)
            .order_by(col(StaffingAnalysis.created_at))
        )
    )


def get_analysis(session: Session, analysis_id: uuid.UUID) -> StaffingAnalysis:
    analysis = session.get(StaffingAnalysis, analysis_id)
    if analysis is None:
        raise ValidationFailed(["Schemagranskningen finns inte."])
    return analysis


def _unit_of(session: Session, followup: FollowUp, unit_name: str) -> uuid.UUID | None:
    for unit_id in fu.unit_ids_of(session, followup.id):
        unit = session.get(Unit, unit_id)
        if unit is not None and _norm(unit.name) == _norm(unit_name):
            return unit.id
    return None


def staffing_notes(result: Mapping[str, Any]) -> dict[str, str]:
    """Return the follow-up notes `personaltathet` and `narvarande_kompetens` of an analysis."""
    first, last = _iso(result.get("from")), _iso(result.get("to"))
    period = _sv_period(first, last) if first and last else ""
    records = result.get("periods") or []
    by_period: dict[str, list[float]] = {}
    for rec in records:
        by_period.setdefault(str(rec.get("period")), []).append(
            float(rec.get("staff_per_place") or 0)
        )
    density = " · ".join(
        f"{name} {_sv_number(sum(values) / len(values))}" for name, values in by_period.items()
    )
    notes: dict[str, str] = {}
    if density:
        notes["personaltathet"] = (
            f"{density} i tjänst per plats (medel av lägsta antalet i tjänst per pass"
            + (f", {period})" if period else ")")
        )
    share = result.get("competent_share")
    if share is not None:
        required = result.get("min_competent_hours_share")
        text = f"{_sv_percent(float(share))} av timmarna med kompetent personal"
        if required is not None:
            text += f" (krav {_sv_percent(float(required))})"
        competent_breaches = sum(
            1 for b in result.get("breaches") or [] if b.get("kind") == "competent"
        )
        text += (
            f". Pass med för få med kompetens: {competent_breaches} av {len(records)}."
            if records
            else "."
        )
        notes["narvarande_kompetens"] = text
    return notes


def save_analysis(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    filename: str,
    data: bytes,
    rules: StaffingRules | Mapping[str, Any],
    mapping: Mapping[str, str] | None = None,
) -> StaffingAnalysis:
    """Read and analyse a schedule and store the analysis with the follow-up.

    Stored: figures, breaches, warnings and the per-period table (`result["periods"]`), the
    rules used, the file name and SHA-256, the count of distinct people; never a name. The
    columns chosen (`mapping`, field -> header, "" for none) are saved for the contractor as
    corrections of what was detected, and the follow-up's notes `personaltathet` and
    `narvarande_kompetens` are filled in. Raise `ScheduleError`/`RulesError` on bad input,
    `Locked` for a follow-up handed over or justerad; then nothing is stored.
    """
    require(actor, CONDUCT, "spara schemagranskningar")
    followup = fu.get_followup(session, followup_id)
    fu.assert_editable(followup)
    staffing_rules = (
        rules if isinstance(rules, StaffingRules) else StaffingRules.model_validate(dict(rules))
    )
    explicit = {k: v for k, v in (mapping or {}).items()}
    schedule = read_schedule(data, filename=filename, mapping=explicit or None)
    result = analyse(schedule, staffing_rules)
    if explicit:
        try:
            detected = inspect_schedule(data, filename=filename).mapping
        except ScheduleError:
            detected = {}
        corrections = _corrections(detected, explicit)
    else:
        corrections = {}
    stored = result.to_json_dict() | {
        "periods": result.periods_records(),
        "min_competent_hours_share": staffing_rules.min_competent_hours_share,
        "columns": dict(schedule.mapping),
    }
    analysis = StaffingAnalysis(
        followup_id=followup.id,
        unit_id=_unit_of(session, followup, staffing_rules.unit),
        filename=filename[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        period_from=result.date_from,
        period_to=result.date_to,
        rules=staffing_rules.model_dump(mode="json"),
        result=stored,
        created_by_id=actor.user_id,
    )
    session.add(analysis)
    log_event(session, actor, "followup", followup.id, f"schemagranskning sparad: {filename}")
    fu.save_notes(session, actor, followup.id, staffing_notes(stored))
    if explicit:
        save_mapping(session, actor, followup.contractor_id, corrections)
    session.flush()
    return analysis


# --------------------------------------------------------------------------- findings


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
            (r.clause, r.text) for r in reg.list_requirements(session, followup.contract_id)
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


def _group_key(kind: str, section: str, period: str) -> str:
    key = f"{FINDING_KEY_PREFIX}{kind}:{section}:{period}"
    if len(key) <= 120:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{FINDING_KEY_PREFIX}{kind}:{digest}"


def _day_text(day: date) -> str:
    return f"{day.day}/{day.month}"


def _breach_groups(
    analysis: StaffingAnalysis,
) -> list[tuple[str, str, str]]:
    """Return (item_key, title, description) of every finding the analysis gives."""
    result = analysis.result or {}
    rules = analysis.rules or {}
    first, last = _iso(result.get("from")), _iso(result.get("to"))
    period_text = _sv_period(first, last) if first and last else ""
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
            day = _iso(r.get("date"))
            shown = _day_text(day) if day else str(r.get("date"))
            days.append(f"{shown} ({r.get('present')} av {r.get('required')})")
        clock = f" ({times[period]})" if period in times else ""
        scope = f" under perioden {period_text}" if period_text else ""
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
        out.append((_group_key(kind, section, period), title, description))
    if result.get("share_breached"):
        share = float(result.get("competent_share") or 0)
        required_share = result.get(
            "min_competent_hours_share", rules.get("min_competent_hours_share")
        )
        scope = f" under perioden {period_text}" if period_text else ""
        required_text = (
            f"; åtagandet är minst {_sv_percent(float(required_share))}"
            if required_share is not None
            else ""
        )
        out.append(
            (
                SHARE_KEY,
                "Andelen timmar med kompetent personal är lägre än åtagandet",
                f"Enligt schemat{scope} utfördes {_sv_percent(share)} av de arbetade timmarna "
                f"av personal med kompetens enligt avtalet{required_text}.",
            )
        )
    return out


def breaches_to_findings(
    session: Session, actor: Actor, analysis_id: uuid.UUID, clause: str | None = None
) -> list[Finding]:
    """Propose an avvikelse per breach group of a stored analysis; return the proposals.

    One finding per section, period and kind (bemanning or kompetens) with its dates listed,
    and one for a competent-hours share below the commitment. `clause` is the contract clause
    the findings cite; blank means the contract's staffing requirement (`suggested_clause`).
    Running it again creates no duplicates: a proposal still waiting is updated, a confirmed
    or rejected finding is left as it is, and a waiting proposal whose breach is gone from
    this analysis is withdrawn (status avfärdad).
    """
    require(actor, CONDUCT, "föreslå avvikelser")
    analysis = get_analysis(session, analysis_id)
    followup = fu.get_followup(session, analysis.followup_id)
    fu.assert_editable(followup)
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
    area = _area(followup, clause)
    existing: dict[str, Finding] = {
        str(f.item_key): f
        for f in fu.findings_of(session, followup.id)
        if (f.item_key or "").startswith(FINDING_KEY_PREFIX)
    }
    proposals: list[Finding] = []
    wanted: set[str] = set()
    for item_key, title, description in _breach_groups(analysis):
        wanted.add(item_key)
        finding = existing.get(item_key)
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
                item_key=item_key,
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
    for stale_key, finding in existing.items():
        if stale_key not in wanted and finding.status is FindingStatus.foreslagen:
            record_changes(
                session,
                actor,
                finding,
                {
                    "status": FindingStatus.avfardad,
                    "downgrade_reason": "Bristen finns inte i den senaste schemagranskningen.",
                },
            )
    session.flush()
    return proposals
