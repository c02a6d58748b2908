"""Stored staffing analyses and the column mapping saved per contractor.

Only what may be kept is stored: figures, breaches and the per-period table of an analysis, the
file's SHA-256 and the count of distinct people, never a name. Every write checks the role and
that the follow-up is editable, and raises before anything is added to the session, so a bad
file stores nothing.
"""

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col

from audit_app.auth import CONDUCT, Actor, require
from audit_app.db import rows_of
from audit_app.domain.svtext import sv_number, sv_period
from audit_app.errors import ValidationFailed
from audit_app.models import FollowUp, ScheduleMapping, StaffingAnalysis, Unit, utcnow
from audit_app.services import followups
from audit_app.services.audit_log import log_event
from audit_app.services.privacy import guard, redact
from audit_app.services.staffing.analysis import analyse, iso_date, share_text
from audit_app.services.staffing.columns import FIELDS, corrections
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.guarded import inspect_schedule, read_schedule
from audit_app.services.staffing.measures import apply_measures
from audit_app.services.staffing.reading import ScheduleLayout
from audit_app.services.staffing.rules import StaffingRules, norm
from audit_app.services.staffing.safe_text import schedule_filename, stored_warnings

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
    guard({"mapping": ("Kolumnvalen", mapping)})
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
        present = {norm(h) for h in plain.headers} if plain is not None else None
        usable = {f: h for f, h in saved.items() if not h or present is None or norm(h) in present}
        if usable:
            try:
                return inspect_schedule(data, filename=filename, mapping=usable), True
            except ScheduleError:
                if plain is None:
                    raise
        if plain is not None:
            return plain, False
    return inspect_schedule(data, filename=filename), False


# --------------------------------------------------------------------------- analyses


def analyses_of(session: Session, followup_id: uuid.UUID) -> list[StaffingAnalysis]:
    """Return the follow-up's stored analyses, oldest first (the last one is current)."""
    return rows_of(
        session,
        StaffingAnalysis,
        StaffingAnalysis.followup_id == followup_id,
        order_by=col(StaffingAnalysis.created_at),
    )


def get_analysis(session: Session, analysis_id: uuid.UUID) -> StaffingAnalysis:
    """Return a stored analysis; raise `ValidationFailed` in Swedish when there is none."""
    analysis = session.get(StaffingAnalysis, analysis_id)
    if analysis is None:
        raise ValidationFailed(["Schemagranskningen finns inte."])
    return analysis


def _unit_of(session: Session, followup: FollowUp, unit_name: str) -> uuid.UUID | None:
    for unit_id in followups.unit_ids_of(session, followup.id):
        unit = session.get(Unit, unit_id)
        if unit is not None and norm(unit.name) == norm(unit_name):
            return unit.id
    return None


def staffing_notes(result: Mapping[str, Any]) -> dict[str, str]:
    """Return the follow-up notes `personaltathet` and `narvarande_kompetens` of an analysis."""
    first, last = iso_date(result.get("from")), iso_date(result.get("to"))
    period = sv_period(first, last) if first and last else ""
    records = result.get("periods") or []
    by_period: dict[str, list[float]] = {}
    for rec in records:
        by_period.setdefault(str(rec.get("period")), []).append(
            float(rec.get("staff_per_place") or 0)
        )
    density = " · ".join(
        f"{name} {sv_number(sum(values) / len(values), 2)}" for name, values in by_period.items()
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
        target = float(required) if required is not None else None
        text = f"{share_text(float(share), target)} av timmarna med kompetent personal"
        if target is not None:
            text += f" (krav {share_text(target)})"
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
    rules: StaffingRules,
    mapping: Mapping[str, str] | None = None,
) -> StaffingAnalysis:
    """Read and analyse a schedule and store the analysis with the follow-up.

    Stored: figures, breaches, warnings and the per-period table (`result["periods"]`), the
    rules used, the file's SHA-256 and the count of distinct people; never a name: the file is
    stored as "schema <first day>–<last day>.xlsx" and text quoted from the file in warnings
    (sheet names, Avdelning cells) is replaced by "…" (see `safe_text`). The
    columns chosen (`mapping`, field -> header, "" for none) are saved for the contractor as
    corrections of what was detected, and the follow-up's notes `personaltathet` and
    `narvarande_kompetens` are filled in. Raise `ScheduleError`/`RulesError` on bad input,
    `Locked` for a follow-up handed over or justerad; then nothing is stored.
    """
    require(actor, CONDUCT, "spara schemagranskningar")
    guard(
        {
            "mapping": ("Kolumnvalen", mapping or {}),
            "rules": ("Bemanningsreglerna", rules.model_dump(mode="json")),
        }
    )
    followup = followups.get_followup(session, followup_id)
    followups.assert_editable(followup)
    explicit = dict(mapping or {})
    schedule = read_schedule(data, filename=filename, mapping=explicit or None)
    result = analyse(schedule, rules)
    fixed: dict[str, str] = {}
    if explicit:
        try:
            detected = inspect_schedule(data, filename=filename).mapping
        except ScheduleError:
            detected = {}
        fixed = corrections(detected, explicit)
    stored = result.to_json_dict() | {
        "periods": result.periods_records(),
        "min_competent_hours_share": rules.min_competent_hours_share,
        "columns": {k: redact(str(v)) for k, v in schedule.mapping.items()},
        "warnings": stored_warnings(result.warnings, [*rules.sections, rules.unit]),
    }
    name = schedule_filename(result.date_from, result.date_to, filename)
    analysis = StaffingAnalysis(
        followup_id=followup.id,
        unit_id=_unit_of(session, followup, rules.unit),
        filename=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        period_from=result.date_from,
        period_to=result.date_to,
        rules=rules.model_dump(mode="json"),
        result=stored,
        created_by_id=actor.user_id,
    )
    session.add(analysis)
    log_event(session, actor, "followup", followup.id, f"schemagranskning sparad: {name}")
    followups.save_notes(session, actor, followup.id, staffing_notes(stored))
    session.flush()
    apply_measures(session, actor, followup, analysis)
    if explicit and followup.contractor_id is not None:
        save_mapping(session, actor, followup.contractor_id, fixed)
    session.flush()
    return analysis
