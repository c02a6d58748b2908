"""Indicators of a contract (uppföljningsplanen, seed 004): the status of a result against its
target, the periods results are given for, and how a result reads in Swedish.

Pure rules, no database: the services store what these functions decide.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from audit_app.domain.labels import words
from audit_app.domain.svtext import NBSP, Noun, sv_number
from audit_app.models import IndicatorDirection, IndicatorKind, IndicatorStatus

INDIKATOR = Noun("indikator", "indikatorer")
NOT_REACHED = (IndicatorStatus.ej_uppnatt, IndicatorStatus.delvis)
"""The statuses the overview and the documents report."""

STATUS_LABELS = words("indicator_statuses", IndicatorStatus)
STATUS_WORDS = words("indicator_status_words", IndicatorStatus)
"""The status said of an indicator ("indikatorn ... ej uppnådd")."""
KIND_LABELS = words("indicator_kinds", IndicatorKind)
DIRECTION_LABELS = words("indicator_directions", IndicatorDirection)


def numeric_status(
    value: float, target: float, direction: IndicatorDirection, tolerance: float = 0.0
) -> IndicatorStatus:
    """The status of a measured value against its target.

    Reaching the target (or passing it in the better direction) is uppnått; a value short of
    the target by at most `tolerance` (the indicator's own band, in its unit) is delvis; a value
    further off is ej uppnått. With no band (0) a value is uppnått or ej uppnått.
    """
    short = target - value if direction is IndicatorDirection.hogre else value - target
    if short <= 0:
        return IndicatorStatus.uppnatt
    if tolerance > 0 and short <= tolerance:
        return IndicatorStatus.delvis
    return IndicatorStatus.ej_uppnatt


def concerns(applies_to: list[str], unit_kinds: set[str]) -> bool:
    """Whether an indicator concerns units of these kinds (no kinds given: every unit)."""
    return not applies_to or bool(set(applies_to) & unit_kinds)


# --------------------------------------------------------------------------- periods

_YEAR = r"((?:19|20)\d{2})"
_PART = re.compile(rf"^{_YEAR}\s*[-/ ]?\s*(T|K|Q|H)\s*([1-4])$", re.IGNORECASE)
_ONLY_YEAR = re.compile(rf"^{_YEAR}$")
_MONTH = re.compile(rf"^{_YEAR}-(\d{{1,2}})$")
_DATE = re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}")
_PARTS = {"T": (3, 4), "K": (4, 3), "Q": (4, 3), "H": (2, 6)}  # count per year, months each


def period_end(period: str) -> date | None:
    """The last day of a period written the way the municipality writes them.

    "2026 T1" (tertial) -> 2026-04-30, "2026 K3"/"2026 Q3" (kvartal) -> 2026-09-30, "2026 H1"
    (halvår) -> 2026-06-30, "2026" -> 2026-12-31, "2026-03" -> 2026-03-31, and a date range
    "2026-01-01–2026-06-30" (or one date) -> its last date. None when it cannot be read.
    """
    text = " ".join(period.split())
    if match := _PART.match(text):
        year, letter, number = int(match[1]), match[2].upper(), int(match[3])
        parts, months = _PARTS[letter]
        if number > parts:
            return None
        month = number * months
        return date(year, month, monthrange(year, month)[1])
    if match := _ONLY_YEAR.match(text):
        return date(int(match[1]), 12, 31)
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            return None
        return date(year, month, monthrange(year, month)[1])
    dates = _DATE.findall(text)
    if dates:
        try:
            return max(date.fromisoformat(d) for d in dates)
        except ValueError:
            return None
    return None


def tertial_of(day: date) -> str:
    """The tertial a day falls in, written "2026 T3"."""
    return f"{day.year} T{(day.month - 1) // 4 + 1}"


PERIOD_HELP = (
    "Skriv perioden som 2026 T1 (tertial), 2026 K1 (kvartal), 2026 H1 (halvår), 2026 (helår), "
    "2026-03 (månad) eller som datum, t.ex. 2026-01-01–2026-06-30."
)


# --------------------------------------------------------------------------- words


def value_text(value: float | None, unit: str) -> str:
    """78 %, 12,5 personal; empty when there is no value."""
    if value is None:
        return ""
    number = sv_number(value)
    if not unit:
        return number
    return f"{number}{NBSP}{unit}" if unit == "%" else f"{number} {unit}"


def target_text(target: float | None, unit: str, direction: IndicatorDirection) -> str:
    """ "minst 85 %" or "högst 15 personal"; empty without a target."""
    if target is None:
        return ""
    word = "minst" if direction is IndicatorDirection.hogre else "högst"
    return f"{word} {value_text(target, unit)}"


@dataclass(frozen=True)
class Miss:
    """An indicator whose latest result did not reach its target."""

    name: str
    period: str
    status: IndicatorStatus


def reason_text(miss: Miss) -> str:
    """The overview's reason: "indikatorn Brukarundersökning ej uppnådd (2026 T2)"."""
    return f"indikatorn {miss.name} {STATUS_WORDS[miss.status]} ({miss.period})"
