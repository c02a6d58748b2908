"""The policy's cadence (policy 002) and a unit's status: what is due, what is late, and why.

Avtalsuppföljning and the review of the ledningssystem are held every six months per unit (the
policy holds them in one meeting); an avvikelse is re-checked within three months of the meeting
that found it; a follow-up is not left in Pågår for more than 14 days; actions are done by
their due date. A unit's status is the worst level among its reasons: röd for what breaks the
policy or the contract (late actions, late or missing re-checks, no avtalsuppföljning in six
months), gul for what needs attention (open avvikelser, an indicator of the contract not
reached in its latest result, a follow-up left in Pågår, a review of
the ledningssystem overdue, a planned follow-up that has not been held, an avtalsuppföljning due
soon with none planned), grön when there is nothing to say.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from audit_app.domain.calendar import (
    add_months,
    next_working_day,
    previous_working_day,
    recheck_date,
)
from audit_app.domain.indicators import Miss, reason_text
from audit_app.domain.labels import SANCTION_LABELS
from audit_app.domain.svtext import (
    ATERUPPFOLJNING,
    ATGARD,
    AVVIKELSE,
    FORSENAD,
    MANAD,
    OPPEN,
    count,
    count_described,
    sv_date,
    sv_day_in_year,
)
from audit_app.models import SanctionKind, StatusLevel

CADENCE_MONTHS = 6
"""Avtalsuppföljning and ledningssystem: once every half year per unit (policy 002)."""
STUCK_DAYS = 14
"""A follow-up left in Pågår longer than this after its meeting is flagged."""
SOON_DAYS = 30
"""An avtalsuppföljning due within this many days, with none planned, is flagged."""
COMBINE_DAYS = 60
"""Avtal and ledningssystem due within this many days of each other are proposed as one meeting."""
GRACE_MONTHS = 3
"""A follow-up held (or planned) up to this long after its due date still covers that slot."""

LEVEL_ORDER = {StatusLevel.gron: 0, StatusLevel.gul: 1, StatusLevel.rod: 2}


def cadence_due(last_held: date) -> date:
    """The date the next six-monthly follow-up is due (2026-03-10 -> 2026-09-10)."""
    return add_months(last_held, CADENCE_MONTHS)


def is_cadence_overdue(last_held: date | None, today: date) -> bool:
    """Overdue after the due date; never held counts as overdue."""
    return last_held is None or today > cadence_due(last_held)


def months_since(day: date, today: date) -> int:
    """Whole months from `day` to `today` (2026-03-10 -> 2026-10-12: 7)."""
    delta = relativedelta(today, day)
    return delta.years * 12 + delta.months


def is_recheck_overdue(meeting: date, today: date) -> bool:
    """The re-check of a meeting's avvikelser is overdue after its latest date (three months,
    moved back to a working day)."""
    return today > recheck_date(meeting)


def recheck_cutoff(today: date) -> date:
    """The latest meeting date whose re-check is overdue today (for counting in SQL).

    `recheck_date` never decreases as the meeting date grows, so the meetings with an overdue
    re-check are exactly those on or before this date.
    """
    day = add_months(today, -3) + timedelta(days=7)
    while not is_recheck_overdue(day, today):
        day -= timedelta(days=1)
    return day


def is_stuck(since: date, today: date) -> bool:
    """A follow-up in Pågår more than 14 days after its meeting."""
    return (today - since).days > STUCK_DAYS


@dataclass(frozen=True)
class UnitFacts:
    """What the overview knows about one unit on a day (counted in SQL)."""

    last_avtal: date | None = None
    last_ledningssystem: date | None = None
    open_deviations: int = 0
    overdue_actions: int = 0
    overdue_rechecks: int = 0
    missing_rechecks: int = 0
    oldest_recheck_meeting: date | None = None  # the oldest meeting still waiting for its re-check
    in_progress_since: date | None = None  # the oldest follow-up still in Pågår
    next_planned: date | None = None  # the earliest planned follow-up (any date)
    next_planned_is_recheck: bool = False
    next_avtal_planned: date | None = None  # the earliest planned avtalsuppföljning
    # Sanctions decided within the last year (kind, decision date), newest first, and the
    # avvikelser for which the ladder proposes a sanction.
    sanctions: tuple[tuple[SanctionKind, date], ...] = ()
    sanction_proposals: int = 0
    # The contract's indicators whose latest result is ej uppnått or delvis uppnått.
    indicator_misses: tuple[Miss, ...] = ()


@dataclass(frozen=True)
class Reason:
    level: StatusLevel
    text: str


@dataclass(frozen=True)
class UnitStatus:
    level: StatusLevel
    reasons: list[Reason] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.reasons]


def _cadence_reason(name: str, last: date | None, today: date) -> str | None:
    if last is None:
        return f"ingen {name} har hållits"
    if not is_cadence_overdue(last, today):
        return None
    return f"ingen {name} på {count(months_since(last, today), MANAD, digits=True)}"


def unit_status(facts: UnitFacts, today: date) -> UnitStatus:
    """The unit's status and its reasons in words, worst first."""
    reasons: list[Reason] = []
    red, yellow = StatusLevel.rod, StatusLevel.gul
    if facts.overdue_actions:
        reasons.append(Reason(red, count_described(facts.overdue_actions, ATGARD, FORSENAD)))
    if facts.overdue_rechecks:
        text = count_described(facts.overdue_rechecks, ATERUPPFOLJNING, FORSENAD)
        if facts.oldest_recheck_meeting is not None:
            text += f" (senast {sv_day_in_year(recheck_date(facts.oldest_recheck_meeting), today)})"
        reasons.append(Reason(red, text))
    if facts.missing_rechecks:
        n = facts.missing_rechecks
        reasons.append(Reason(red, f"{count(n, ATERUPPFOLJNING, digits=True)} saknas"))
    avtal = _cadence_reason("avtalsuppföljning", facts.last_avtal, today)
    if avtal:
        reasons.append(Reason(red, avtal))
    if facts.open_deviations:
        reasons.append(
            Reason(yellow, count_described(facts.open_deviations, AVVIKELSE, OPPEN, before=True))
        )
    for miss in facts.indicator_misses:
        reasons.append(Reason(yellow, reason_text(miss)))
    if facts.in_progress_since is not None and is_stuck(facts.in_progress_since, today):
        reasons.append(
            Reason(yellow, f"pågått sedan {sv_day_in_year(facts.in_progress_since, today)}")
        )
    ledning = _cadence_reason("uppföljning av ledningssystem", facts.last_ledningssystem, today)
    if ledning:
        reasons.append(Reason(yellow, ledning))
    if (
        facts.next_planned is not None
        and facts.next_planned < today
        and not facts.next_planned_is_recheck
    ):
        reasons.append(
            Reason(
                yellow,
                f"planerad uppföljning {sv_day_in_year(facts.next_planned, today)} har inte hållits",
            )
        )
    if facts.last_avtal is not None and not avtal:
        due = cadence_due(facts.last_avtal)
        planned = facts.next_avtal_planned
        if (due - today).days <= SOON_DAYS and (planned is None or planned > due):
            reasons.append(
                Reason(yellow, f"avtalsuppföljning senast {sv_date(due)}, ingen planerad")
            )
    reasons += sanction_reasons(facts, today)
    level = max((r.level for r in reasons), key=LEVEL_ORDER.__getitem__, default=StatusLevel.gron)
    return UnitStatus(level, reasons)


def sanction_reasons(facts: UnitFacts, today: date) -> list[Reason]:
    """'vite beslutat 2 maj' (röd; a påpekande gul) for the newest sanction of each kind
    decided within the last year, and 'sanktion föreslås' (gul) while one is proposed."""
    reasons: list[Reason] = []
    seen: set[SanctionKind] = set()
    for kind, day in facts.sanctions:
        if kind in seen:
            continue
        seen.add(kind)
        level = StatusLevel.gul if kind is SanctionKind.papekande else StatusLevel.rod
        text = f"{SANCTION_LABELS[kind].lower()} beslutat {sv_day_in_year(day, today)}"
        reasons.append(Reason(level, text))
    if facts.sanction_proposals:
        reasons.append(Reason(StatusLevel.gul, "sanktion föreslås"))
    return reasons


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Slot:
    """A follow-up the cadence asks for: due by the rule, proposed on a working day."""

    due: date
    proposed: date
    after: date | None  # the follow-up it comes six months after (None: never held)

    def overdue(self, today: date) -> bool:
        return self.due < today


def proposed_day(due: date, today: date) -> date:
    """A working day on or before the due date; a due date already passed: the next working
    day from today."""
    day = previous_working_day(due)
    return day if day >= today else next_working_day(today)


def cadence_slots(
    last_before: date | None,
    existing: list[date],
    year: int,
    today: date,
    first_due: date | None = None,
) -> list[Slot]:
    """The six-monthly follow-ups due in `year` that no existing (held or planned) one covers.

    Starting from the last follow-up before the year, each next one is due six months later;
    an existing follow-up up to three months after that date covers it (and the next is due six
    months after it). A unit never followed up is due on `first_due` (default: the start of
    the year) unless one is planned this year. A slot due before the year is proposed at its
    start.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    pending = sorted(d for d in existing if first <= d <= last)
    cursor = last_before
    if cursor is None and pending:
        cursor = pending.pop(0)  # the first follow-up ever starts the cadence
    slots: list[Slot] = []
    while True:
        due = cadence_due(cursor) if cursor is not None else (first_due or first)
        if due > last:
            break
        later = [d for d in pending if cursor is None or d > cursor]
        if later and later[0] <= add_months(due, GRACE_MONTHS):
            cursor = later[0]
            continue
        day = max(proposed_day(due, today), next_working_day(first))
        if day > last:
            break
        slots.append(Slot(due, day, cursor))
        cursor = day
    return slots


def pair_slots(
    avtal: list[Slot], ledning: list[Slot]
) -> list[tuple[Slot | None, Slot | None, date]]:
    """Pair avtal and ledningssystem slots due close together into one meeting (policy 002:
    the contract is followed up together with the management system); the meeting is held on
    the earlier proposed day. Returns (avtal, ledningssystem, day) with one of them None when
    held alone."""
    out: list[tuple[Slot | None, Slot | None, date]] = []
    left = list(ledning)
    for slot in avtal:
        match = next((x for x in left if abs((x.due - slot.due).days) <= COMBINE_DAYS), None)
        if match is not None:
            left.remove(match)
            out.append((slot, match, min(slot.proposed, match.proposed)))
        else:
            out.append((slot, None, slot.proposed))
    out += [(None, x, x.proposed) for x in left]
    return sorted(out, key=lambda t: t[2])


def rotate_meetings(
    last_checks: dict[str, date | None], meetings: list[date]
) -> list[tuple[date, str]]:
    """Give each committee meeting the unit whose biståndsärenden were checked longest ago
    (never first, then by key); returns (meeting, unit key)."""
    last = dict(last_checks)
    out: list[tuple[date, str]] = []
    for meeting in sorted(meetings):
        if not last:
            break
        key = min(last, key=lambda k: (last[k] is not None, last[k] or date.min, k))
        out.append((meeting, key))
        last[key] = meeting
    return out
