"""The contract's indicators in the documents: sentences for point 3 of the minutes and for the
tjänsteskrivelse, built from the latest result of each indicator for a period that had ended by
the meeting (FollowUpData.indicators, services.indicators.latest_per_indicator).

Sentences, not a table, so every template (shipped or uploaded) shows them in its paragraphs
of point 3 and of the background. They say only what the record holds: the period, the value
against the target, the status; a text judgement is quoted in the minutes only (the committee
gets the status).
"""

from __future__ import annotations

from audit_app.domain.indicators import (
    INDIKATOR,
    NOT_REACHED,
    STATUS_WORDS,
    target_text,
    value_text,
)
from audit_app.domain.svtext import Adjective, count, sv_join, sv_number
from audit_app.models import IndicatorKind, IndicatorStatus
from audit_app.services.documents.data import FollowUpData
from audit_app.services.indicators import Latest

_ADJECTIVES = {
    IndicatorStatus.uppnatt: Adjective("uppnådd", "uppnått", "uppnådda"),
    IndicatorStatus.delvis: Adjective("delvis uppnådd", "delvis uppnått", "delvis uppnådda"),
    IndicatorStatus.ej_uppnatt: Adjective("ej uppnådd", "ej uppnått", "ej uppnådda"),
}


def _tally(rows: list[Latest]) -> str:
    """The statuses counted: 3 uppnådda, 1 delvis uppnådd och 1 ej uppnådd."""
    parts = []
    for status, adjective in _ADJECTIVES.items():
        n = sum(1 for x in rows if x.result is not None and x.result.status is status)
        if n:
            parts.append(f"{sv_number(n)} {adjective.form(n, INDIKATOR)}")
    return sv_join(parts)


def _miss_text(x: Latest, *, quote: bool) -> str:
    """One indicator not reached: Brukarundersökning (2026 T2): 78 % mot målet minst 85 %,
    ej uppnådd."""
    assert x.result is not None
    ind, res = x.indicator, x.result
    head = f"{ind.name} ({res.period}): "
    word = STATUS_WORDS[res.status]
    if ind.kind is IndicatorKind.tal and res.value is not None:
        goal = target_text(ind.target, ind.unit, ind.direction)
        return head + f"{value_text(res.value, ind.unit)} mot målet {goal}, {word}"
    text = " ".join(res.text.split())
    return head + word + (f" – ”{text.rstrip('.')}”" if quote and text else "")


def _lines(data: FollowUpData, *, quote: bool, opening: str) -> list[str]:
    rows = data.indicators
    if not rows:
        return []
    with_result = [x for x in rows if x.result is not None]
    first = f"{opening} {count(len(rows), INDIKATOR, digits=True)}."
    if not with_result:
        return [first + " Inget resultat fanns registrerat för en period som slutat före mötet."]
    reached = all(x.result is not None and x.result.status not in NOT_REACHED for x in with_result)
    first += " Senaste resultat för perioder till och med mötesdagen: " + (
        f"samtliga {len(with_result)} med resultat var uppnådda."
        if reached and len(with_result) > 1
        else f"av {count(len(with_result), INDIKATOR, digits=True)} med resultat var "
        f"{_tally(with_result)}."
    )
    lacking = len(rows) - len(with_result)
    if lacking:
        first += f" {count(lacking, INDIKATOR, digits=True).capitalize()} saknade resultat."
    lines = [first]
    misses = [x for x in with_result if x.result is not None and x.result.status in NOT_REACHED]
    if misses:
        lines.append(
            "Indikatorer som inte nådde målet: "
            + "; ".join(_miss_text(x, quote=quote) for x in misses)
            + "."
        )
    return lines


def minutes_lines(data: FollowUpData) -> list[str]:
    """Point 3 of the minutes: the contract's indicators and those not reached."""
    return _lines(data, quote=True, opening="Avtalet följs upp med")


def committee_lines(data: FollowUpData) -> list[str]:
    """The tjänsteskrivelse's background: the same figures, without the judgements' words."""
    return _lines(data, quote=False, opening="Förvaltningen följer avtalet med")
