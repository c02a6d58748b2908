"""A contract's indicators and their results: define, edit, archive, record a period's result.

Indicators are defined by those who keep the contract register; results are recorded by the
revisor. A numeric result's status comes from the domain rule (value, target, direction and the
indicator's own band for delvis); a text result's status is the revisor's judgement.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import CONDUCT, EDIT_REGISTERS, Actor, require
from audit_app.db import fetch
from audit_app.domain.indicators import PERIOD_HELP, numeric_status, period_end
from audit_app.errors import FieldError, NotFound, ValidationFailed
from audit_app.models import (
    Contract,
    Indicator,
    IndicatorKind,
    IndicatorResult,
    IndicatorStatus,
    UnitKind,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.indicators.examples import IndicatorFields, example
from audit_app.services.lookups import name_problems
from audit_app.services.privacy import guard, looks_like_personnummer

EDIT_INDICATORS = EDIT_REGISTERS
"""Who defines a contract's indicators: those who keep the contract register."""
RECORD_RESULTS = CONDUCT
"""Who records results: the revisor (and the administrator)."""

PNR_MESSAGE = (
    "texten innehåller något som ser ut som ett personnummer. Personnummer får inte sparas "
    "här; skriv resultatet utan uppgifter om enskilda."
)


class IndicatorInput(IndicatorFields):
    """An indicator as entered; `example_key` names the shipped example it started from."""

    example_key: str = ""


@dataclass
class ResultInput:
    """One period's result: `value` for a tal indicator, `status` and `text` for a text one."""

    period: str
    value: float | None = None
    text: str = ""
    status: IndicatorStatus | None = None
    period_end: date | None = None  # only needed when the period cannot be read


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def normalize_period(period: str) -> str:
    """One way of writing a period: "2026 t1" -> "2026 T1", spaces collapsed."""
    text = _clean(period)
    head, _, tail = text.rpartition(" ")
    if head.isdigit() and len(tail) == 2 and tail[0].lower() in "tkqh" and tail[1].isdigit():
        return f"{head} {tail.upper()}"
    return text


def get_indicator(session: Session, indicator_id: uuid.UUID) -> Indicator:
    return fetch(session, Indicator, indicator_id, "Indikatorn finns inte.")


def _check(session: Session, contract_id: uuid.UUID, data: IndicatorInput, own: uuid.UUID | None):
    guard(
        {
            "name": ("Namn", data.name),
            "risk": ("Risk", data.risk),
            "definition": ("Definition", data.definition),
            "method": ("Mätmetod", data.method),
            "responsible": ("Ansvar och stöd", data.responsible),
            "occasion": ("Mättillfälle", data.occasion),
            "unit": ("Enhet", data.unit),
            "example_key": ("Exempel", data.example_key),
        }
    )
    errors = name_problems(
        session,
        Indicator,
        own,
        _clean(data.name),
        Indicator.contract_id == contract_id,
        whose="indikatorns",
        taken="avtalet har redan indikatorn",
        longest=200,
    )
    if len(_clean(data.occasion)) > 200:
        errors.append(FieldError("occasion", "Mättillfälle: högst 200 tecken."))
    if len(data.unit.strip()) > 20:
        errors.append(FieldError("unit", "Enhet: högst 20 tecken, t.ex. % eller personal."))
    if data.kind is IndicatorKind.tal:
        if data.target is None:
            errors.append(FieldError("target", "Mål: ange målet för mätvärdet."))
        if data.tolerance < 0:
            errors.append(FieldError("tolerance", "Delvis-gräns: ange 0 eller ett positivt tal."))
    if errors:
        raise ValidationFailed(errors)


def save_indicator(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID,
    data: IndicatorInput,
    indicator_id: uuid.UUID | None = None,
) -> Indicator:
    """Create or edit an indicator of a contract after checking every field."""
    require(actor, EDIT_INDICATORS, "ändra avtalets indikatorer")
    fetch(session, Contract, contract_id, "Avtalet finns inte.")
    current = get_indicator(session, indicator_id) if indicator_id is not None else None
    if current is not None and current.contract_id != contract_id:
        raise NotFound("Indikatorn hör inte till avtalet.")
    _check(session, contract_id, data, indicator_id)
    numeric = data.kind is IndicatorKind.tal
    changes: dict[str, Any] = {
        "name": _clean(data.name),
        "risk": data.risk.strip(),
        "definition": data.definition.strip(),
        "method": data.method.strip(),
        "responsible": data.responsible.strip(),
        "occasion": _clean(data.occasion),
        "kind": data.kind,
        "unit": data.unit.strip() if numeric else "",
        "target": float(data.target) if numeric and data.target is not None else None,
        "direction": data.direction,
        "tolerance": float(data.tolerance) if numeric else 0.0,
        "applies_to": [UnitKind(k).value for k in data.applies_to],
    }
    if current is None:
        position = len(
            list(session.exec(select(Indicator.id).where(Indicator.contract_id == contract_id)))
        )
        changes |= {"position": position, "example_key": data.example_key}
        indicator = Indicator(contract_id=contract_id, **changes, updated_by_id=actor.user_id)
        record_changes(session, actor, indicator, changes, created=True)
    else:
        indicator = current
        if current.kind is not data.kind and _has_results(session, current.id):
            raise ValidationFailed(
                [
                    FieldError(
                        "kind",
                        "Typ: indikatorn har redan resultat och kan inte byta mellan mätvärde "
                        "och bedömning i text. Arkivera den och lägg till en ny.",
                    )
                ]
            )
        record_changes(session, actor, indicator, changes)
        if numeric and _has_results(session, current.id):
            _restatus(session, actor, indicator)
    session.flush()
    return indicator


def _has_results(session: Session, indicator_id: uuid.UUID) -> bool:
    query = select(IndicatorResult.id).where(IndicatorResult.indicator_id == indicator_id)
    return session.exec(query).first() is not None


def _restatus(session: Session, actor: Actor, indicator: Indicator) -> None:
    """A changed target, direction or band re-judges the numeric results by the rule."""
    assert indicator.target is not None
    for result in session.exec(
        select(IndicatorResult).where(IndicatorResult.indicator_id == indicator.id)
    ):
        if result.value is None:
            continue
        status = numeric_status(
            result.value, indicator.target, indicator.direction, indicator.tolerance
        )
        record_changes(session, actor, result, {"status": status})


def add_from_example(session: Session, actor: Actor, contract_id: uuid.UUID, key: str) -> Indicator:
    """Add a shipped example to a contract ("Utgå från exempel"); edited like any other then."""
    require(actor, EDIT_INDICATORS, "ändra avtalets indikatorer")
    found = example(key)
    if found is None:
        raise NotFound(f"Exemplet {key!r} finns inte.")
    data = IndicatorInput(**found.model_dump(exclude={"key"}), example_key=found.key)
    return save_indicator(session, actor, contract_id, data)


def archive_indicator(
    session: Session, actor: Actor, indicator_id: uuid.UUID, archived: bool = True
) -> None:
    """Archive (or restore) an indicator; its results are kept."""
    require(actor, EDIT_INDICATORS, "ändra avtalets indikatorer")
    indicator = get_indicator(session, indicator_id)
    record_changes(session, actor, indicator, {"archived": archived})
    log_event(session, actor, "indicator", indicator.id, "arkiverad" if archived else "återställd")


def check_result(indicator: Indicator, data: ResultInput) -> tuple[list[FieldError], Any]:
    """Check one result against its indicator; return the problems and, if none, the stored
    fields (period, period_end, value, text, status). Used by the form and the Excel import."""
    # A personnummer is refused, and never echoed back in another message.
    errors = [
        FieldError(field_, f"{title}: {PNR_MESSAGE}")
        for field_, title, text_ in (
            ("period", "Period", data.period),
            ("text", "Bedömning", data.text),
        )
        if looks_like_personnummer(text_)
    ]
    hidden = {e.field for e in errors}
    period = normalize_period(data.period)
    end = data.period_end or (period_end(period) if period else None)
    if not period:
        errors.append(FieldError("period", f"Period: ange perioden. {PERIOD_HELP}"))
    elif len(period) > 60:
        errors.append(FieldError("period", "Period: högst 60 tecken."))
    elif end is None and "period" not in hidden:
        errors.append(FieldError("period", f"Period: {period!r} går inte att läsa. {PERIOD_HELP}"))
    text = (data.text or "").strip()
    status: IndicatorStatus | None = None
    value: float | None = None
    if indicator.kind is IndicatorKind.tal:
        if data.value is None:
            errors.append(FieldError("value", "Värde: ange periodens mätvärde."))
        else:
            value = float(data.value)
            assert indicator.target is not None
            status = numeric_status(
                value, indicator.target, indicator.direction, indicator.tolerance
            )
    else:
        if data.status is None:
            errors.append(
                FieldError("status", "Status: välj uppnått, delvis uppnått eller ej uppnått.")
            )
        status = data.status
        if not text:
            errors.append(FieldError("text", "Bedömning: skriv periodens bedömning."))
    if errors:
        return errors, None
    return [], {"period": period, "period_end": end, "value": value, "text": text, "status": status}


def record_result(
    session: Session, actor: Actor, indicator_id: uuid.UUID, data: ResultInput
) -> IndicatorResult:
    """Record (or correct) an indicator's result for one period."""
    require(actor, RECORD_RESULTS, "registrera resultat för indikatorer")
    indicator = get_indicator(session, indicator_id)
    if indicator.archived:
        raise ValidationFailed(["Indikatorn är arkiverad; återställ den för att registrera."])
    errors, fields = check_result(indicator, data)
    if errors:
        raise ValidationFailed(errors)
    return _store(session, actor, indicator, fields)


def record_results(
    session: Session, actor: Actor, rows: list[tuple[Indicator, ResultInput]]
) -> list[IndicatorResult]:
    """Record several results at once (an Excel import): all of them or, on a problem, none."""
    require(actor, RECORD_RESULTS, "registrera resultat för indikatorer")
    checked = []
    errors: list[FieldError] = []
    for indicator, data in rows:
        problems, fields = check_result(indicator, data)
        errors += [FieldError(p.field, f"{indicator.name}: {p.message}") for p in problems]
        checked.append((indicator, fields))
    if errors:
        raise ValidationFailed(errors)
    return [_store(session, actor, indicator, fields) for indicator, fields in checked]


def _store(
    session: Session, actor: Actor, indicator: Indicator, fields: dict[str, Any]
) -> IndicatorResult:
    current = session.exec(
        select(IndicatorResult).where(
            IndicatorResult.indicator_id == indicator.id,
            IndicatorResult.period == fields["period"],
        )
    ).first()
    if current is None:
        result = IndicatorResult(indicator_id=indicator.id, entered_by_id=actor.user_id, **fields)
        record_changes(session, actor, result, fields, created=True)
    else:
        result = current
        record_changes(session, actor, result, fields | {"entered_by_id": actor.user_id})
    session.flush()
    return result
