"""Shifts to figures: presence and competence per section, date and period against the rules,
breaches, the competent-hours share; and the summary the CLI prints. Pure pandas/numpy.

Staff names never reach this module; a schedule carries only the count of distinct people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from audit_app.domain.svtext import (
    DAG,
    NBSP,
    count,
    percent_value,
    sv_date,
    sv_number,
    sv_percent,
    sv_period,
)
from audit_app.services.staffing.cells import categorical
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.parsing import Schedule
from audit_app.services.staffing.rules import MINUTES_PER_DAY, REVIEW_DAYS, StaffingRules, norm
from audit_app.services.staffing.safe_text import from_file

OUTLIER_GAP_DAYS = 7
"""Dates separated from the main group by a gap of more than this many days are left out."""


class Breach(NamedTuple):
    """A period below its commitment: kind "staff" (present) or "competent".

    A named tuple: an analysis of a year can have tens of thousands of them."""

    date: date
    section: str
    period: str
    kind: Literal["staff", "competent"]
    required: int
    present: int

    def to_json_dict(self) -> dict[str, Any]:
        """Return the breach as in the JSON of the analysis."""
        return {
            "date": self.date.isoformat(),
            "section": self.section,
            "period": self.period,
            "kind": self.kind,
            "required": self.required,
            "present": self.present,
        }


@dataclass(frozen=True)
class Coverage:
    """The days of one section with shifts: first and last, and the days without any shift
    between the first and last date of the whole schedule."""

    date_from: date | None
    date_to: date | None
    days_with_shifts: int
    missing: list[date]

    def to_json_dict(self) -> dict[str, Any]:
        """Return the coverage as in the JSON of the analysis."""
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "days_with_shifts": self.days_with_shifts,
            "missing_days": [d.isoformat() for d in self.missing],
        }


PERIOD_COLUMNS = [
    "section",
    "date",
    "period",
    "start",
    "end",
    "present",
    "competent",
    "min_staff",
    "min_competent",
    "staff_per_place",
    "staff_breach",
    "competent_breach",
]
"""Columns of `StaffingResult.periods` (one row per section, date and period)."""


@dataclass
class StaffingResult:
    """Figures and breaches of one analysed schedule; never names.

    `periods` has one row per section, date and period: section, date, period, start, end,
    present, competent, min_staff, min_competent, staff_per_place, staff_breach,
    competent_breach.
    """

    date_from: date
    date_to: date
    shifts: int
    total_hours: float
    competent_hours: float
    competent_share: float
    share_breached: bool
    min_competent_hours_share: float
    distinct_people: int | None
    hours_by_section: dict[str, float]
    warnings: list[str]
    breaches: list[Breach]
    periods: pd.DataFrame
    coverage: dict[str, Coverage] = field(default_factory=dict)
    review_days: int = REVIEW_DAYS

    def to_json_dict(self) -> dict[str, Any]:
        """Return the JSON object of the analysis (the CLI's --json output)."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "shifts": self.shifts,
            "total_hours": round(self.total_hours, 2),
            "competent_hours": round(self.competent_hours, 2),
            "competent_share": round(self.competent_share, 4),
            "share_breached": self.share_breached,
            "distinct_people": self.distinct_people,
            "hours_by_section": {k: round(v, 2) for k, v in self.hours_by_section.items()},
            "warnings": list(self.warnings),
            "breaches": [  # tens of thousands for a year: no method call per breach
                {
                    "date": d.isoformat(),
                    "section": s,
                    "period": p,
                    "kind": k,
                    "required": r,
                    "present": n,
                }
                for d, s, p, k, r, n in self.breaches
            ],
            "review_days": self.review_days,
            "coverage": {s: c.to_json_dict() for s, c in self.coverage.items()},
        }

    def periods_records(self) -> list[dict[str, Any]]:
        """Return the periods table as JSON-ready rows, to store and redraw the heat map."""
        table = self.periods.assign(
            date=self.periods["date"].dt.strftime("%Y-%m-%d"),
            start=self.periods["start"].dt.strftime("%Y-%m-%dT%H:%M"),
            end=self.periods["end"].dt.strftime("%Y-%m-%dT%H:%M"),
            staff_per_place=self.periods["staff_per_place"].round(4),
        )
        return [
            {str(k): (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
            for row in table.to_dict("records")
        ]


def periods_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rebuild the periods table from `StaffingResult.periods_records()`."""
    table = pd.DataFrame(list(records), columns=PERIOD_COLUMNS)
    for column in ("section", "period"):
        values, uniques = pd.factorize(table[column])
        table[column] = categorical(values, np.asarray(uniques, dtype=object))
    for column in ("date", "start", "end"):
        table[column] = pd.to_datetime(table[column]).astype("datetime64[s]")
    for column in ("present", "competent", "min_staff", "min_competent"):
        table[column] = table[column].astype("int64")
    table["staff_per_place"] = table["staff_per_place"].astype(float)
    for column in ("staff_breach", "competent_breach"):
        table[column] = table[column].astype(bool)
    return table


def _range_min(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Return min(values[lo:hi]) per pair; the int64 maximum where the range is empty."""
    out = np.full(len(lo), np.iinfo(np.int64).max, dtype=np.int64)
    nonempty = np.flatnonzero(lo < hi)
    if len(nonempty) == 0:
        return out
    bounds = np.empty(2 * len(nonempty), dtype=np.intp)  # pairs (lo, hi): each reduced alone
    bounds[0::2] = lo[nonempty]
    bounds[1::2] = hi[nonempty]
    padded = np.append(values.astype(np.int64), 0)  # hi may equal len(values)
    out[nonempty] = np.minimum.reduceat(padded, bounds)[0::2]
    return out


def _min_on_duty(
    shift_group: np.ndarray,
    shift_start: np.ndarray,
    shift_end: np.ndarray,
    channels: Sequence[np.ndarray],
    group: np.ndarray,
    period_start: np.ndarray,
    period_end: np.ndarray,
) -> list[np.ndarray]:
    """Return per channel (a mask of the shifts counted) and period the lowest number of
    counted shifts of the period's group covering any moment of it.

    Shifts and periods are half-open minute intervals [start, end). One sweep over all groups:
    each shift adds +1 at its start and -1 at its end; the running sum between event times is
    the number on duty. A period's minimum is the level at its start and at every event inside.
    The channels (everyone, the competent) share one sort of the events.
    """
    if len(shift_start) == 0 or len(group) == 0:
        return [np.zeros(len(group), dtype=np.int64) for _ in channels]
    origin = min(int(shift_start.min()), int(period_start.min()))
    span = max(int(shift_end.max()), int(period_end.max())) - origin + 1
    offset = shift_group.astype(np.int64) * span - origin
    keys = np.concatenate([offset + shift_start, offset + shift_end])
    order = np.argsort(keys)  # sums per event time do not depend on the order of ties
    keys = keys[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    times = keys[first]
    q_offset = group.astype(np.int64) * span - origin
    at = np.searchsorted(times, q_offset + period_start, side="right") - 1
    inner_end = np.searchsorted(times, q_offset + period_end, side="left")
    out = []
    for counted in channels:
        step = counted.astype(np.int64)
        deltas = np.concatenate([step, -step])[order]
        level = np.cumsum(np.add.reduceat(deltas, first))
        start_level = np.where(at >= 0, level[np.maximum(at, 0)], 0)
        out.append(np.minimum(start_level, _range_min(level, at + 1, inner_end)))
    return out


def _lookup(values: pd.Series, look: Any, missing: Any) -> np.ndarray:
    """Return `look(normalised value)` per cell, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    table = np.array([look(norm(u)) for u in np.asarray(uniques, dtype=object)] + [missing])
    return table[codes]  # code -1 (missing) picks the last entry


def _main_date_group(days: np.ndarray) -> np.ndarray:
    """Return a mask of the shifts in the date group with most shifts (gaps > 7 days split)."""
    unique, counts = np.unique(days, return_counts=True)
    group_of_unique = np.r_[0, np.cumsum(np.diff(unique) > OUTLIER_GAP_DAYS)]
    shifts_per_group = np.bincount(group_of_unique, weights=counts)
    best = int(np.argmax(shifts_per_group))  # first group on ties
    keep_unique = unique[group_of_unique == best]
    return np.isin(days, keep_unique)


def analyse(schedule: Schedule, rules: StaffingRules) -> StaffingResult:
    """Check the shifts of a schedule against the staffing rules (see `RULES_MARKDOWN`)."""
    shifts = schedule.shifts
    warnings = list(schedule.warnings)
    section_index = {norm(s): i for i, s in enumerate(rules.sections)}
    sec_all = _lookup(shifts["section"], lambda name: section_index.get(name, -1), -1)
    unknown = sec_all < 0
    if unknown.any():
        counts = shifts.loc[unknown, "section"].value_counts()
        for name, count in sorted(counts[counts > 0].items()):
            warnings.append(
                f"{count} pass på avdelningen {from_file(name)}, som inte finns i reglerna, "
                "utelämnades."
            )
    kept = np.flatnonzero(~unknown)  # row positions; the frame itself is never copied
    sec_idx = sec_all[kept].astype(np.int64)
    if len(kept) == 0:
        raise ScheduleError(
            [
                f"{schedule.filename}: inga pass hör till avdelningarna i reglerna "
                f"({', '.join(rules.sections)})."
            ],
            schedule.filename,
        )
    days = shifts["date"].to_numpy()[kept].astype("datetime64[D]").astype(np.int64)
    main = _main_date_group(days)
    if not main.all():
        far = np.unique(days[~main]).astype("datetime64[D]")
        shown = ", ".join(str(d) for d in far[:5]) + (" ..." if len(far) > 5 else "")
        warnings.append(
            f"{int((~main).sum())} pass med datum långt från övriga ({shown}) utelämnades."
        )
        kept = kept[main]
        sec_idx = sec_idx[main]
        days = days[main]

    roles = rules.competent_roles()
    competent = _lookup(shifts["role"], lambda role: role in roles, False).astype(bool)[kept]
    start = shifts["start"].to_numpy()[kept].astype("datetime64[m]").astype(np.int64)
    end = shifts["end"].to_numpy()[kept].astype("datetime64[m]").astype(np.int64)

    first_day, last_day = int(days.min()), int(days.max())
    n_days = last_day - first_day + 1
    n_sec, n_per = len(rules.sections), len(rules.periods)
    inst_sec = np.repeat(np.arange(n_sec), n_days * n_per)
    inst_day = np.tile(np.repeat(np.arange(n_days), n_per), n_sec)
    inst_per = np.tile(np.arange(n_per), n_sec * n_days)
    p_start = np.array([p.start_minute for p in rules.periods], dtype=np.int64)
    p_len = np.array([p.length_minutes for p in rules.periods], dtype=np.int64)
    q0 = (first_day + inst_day) * MINUTES_PER_DAY + p_start[inst_per]
    q1 = q0 + p_len[inst_per]

    everyone = np.ones(len(start), dtype=bool)
    present, competent_present = _min_on_duty(
        sec_idx, start, end, [everyone, competent], inst_sec, q0, q1
    )
    min_staff = np.array([p.min_staff for p in rules.periods], dtype=np.int64)[inst_per]
    min_comp = np.array([p.min_competent for p in rules.periods], dtype=np.int64)[inst_per]
    section_names = np.array(rules.sections, dtype=object)
    period_names = np.array([p.name for p in rules.periods], dtype=object)
    dates = (first_day + inst_day).astype("datetime64[D]")
    periods = pd.DataFrame(
        {
            "section": categorical(inst_sec, rules.sections),
            "date": dates.astype("datetime64[s]"),
            "period": categorical(inst_per, period_names),
            "start": q0.astype("datetime64[m]").astype("datetime64[s]"),
            "end": q1.astype("datetime64[m]").astype("datetime64[s]"),
            "present": present,
            "competent": competent_present,
            "min_staff": min_staff,
            "min_competent": min_comp,
            "staff_per_place": present / rules.places_per_section,
            "staff_breach": present < min_staff,
            "competent_breach": competent_present < min_comp,
        }
    )

    hours = shifts["hours"].to_numpy(dtype=float)[kept]
    total_hours = float(hours.sum())
    competent_hours = float(hours[competent].sum())
    share = competent_hours / total_hours if total_hours > 0 else 0.0
    by_section = np.bincount(sec_idx, weights=hours, minlength=n_sec)
    coverage = _coverage(sec_idx, days - first_day, n_sec, n_days, first_day)
    warnings.extend(_coverage_warnings(rules, coverage, first_day, n_days))

    return StaffingResult(
        date_from=_day(first_day),
        date_to=_day(last_day),
        shifts=len(kept),
        total_hours=total_hours,
        competent_hours=competent_hours,
        competent_share=share,
        share_breached=bool(share < rules.min_competent_hours_share),
        min_competent_hours_share=rules.min_competent_hours_share,
        distinct_people=schedule.distinct_people,
        hours_by_section={s: float(h) for s, h in zip(rules.sections, by_section, strict=True)},
        warnings=warnings,
        breaches=_breaches(
            dates,
            section_names[inst_sec],
            period_names[inst_per],
            present,
            competent_present,
            min_staff,
            min_comp,
        ),
        periods=periods,
        coverage=dict(zip(rules.sections, coverage, strict=True)),
        review_days=rules.review_days,
    )


def _coverage(
    sec_idx: np.ndarray, day_idx: np.ndarray, n_sec: int, n_days: int, first_day: int
) -> list[Coverage]:
    """Return each section's days with shifts (by start date) over the schedule's period."""
    has = np.zeros(n_sec * n_days, dtype=bool)
    has[sec_idx * n_days + day_idx] = True
    grid = has.reshape(n_sec, n_days)
    out = []
    for row in grid:
        found = np.flatnonzero(row)
        out.append(
            Coverage(
                date_from=_day(first_day + int(found[0])) if len(found) else None,
                date_to=_day(first_day + int(found[-1])) if len(found) else None,
                days_with_shifts=len(found),
                missing=[_day(first_day + int(i)) for i in np.flatnonzero(~row)],
            )
        )
    return out


MAX_SHOWN_DAYS = 5
"""A warning lists at most this many missing days."""


def _coverage_warnings(
    rules: StaffingRules, coverage: list[Coverage], first_day: int, n_days: int
) -> list[str]:
    """Return the warnings of a schedule shorter than the review period, or with days without
    shifts on a section."""
    warnings = []
    if n_days < rules.review_days:
        warnings.append(
            f"Schemat omfattar {count(n_days, DAG, digits=True)} "
            f"({sv_period(_day(first_day), _day(first_day + n_days - 1))}), kortare än "
            f"granskningsperioden {count(rules.review_days, DAG, digits=True)} i reglerna."
        )
    for section, cover in zip(rules.sections, coverage, strict=True):
        if not cover.days_with_shifts:
            warnings.append(f"Avdelningen {section} har inga pass i schemat.")
        elif cover.missing:
            shown = ", ".join(sv_date(d) for d in cover.missing[:MAX_SHOWN_DAYS])
            more = " …" if len(cover.missing) > MAX_SHOWN_DAYS else ""
            warnings.append(
                f"Avdelningen {section} saknar pass "
                f"{count(len(cover.missing), DAG, digits=True)} av perioden ({shown}{more})."
            )
    return warnings


def iso_date(value: Any) -> date | None:
    """Return a date stored as ISO text in an analysis ("2026-11-02"), or None."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _day(days_since_epoch: int) -> date:
    return date(1970, 1, 1) + timedelta(days=days_since_epoch)


def _breaches(
    days: np.ndarray,
    sections: np.ndarray,
    periods: np.ndarray,
    present: np.ndarray,
    competent: np.ndarray,
    min_staff: np.ndarray,
    min_competent: np.ndarray,
) -> list[Breach]:
    """Return the breaches by date, section, period and kind (numpy arrays per period row)."""
    staff_rows = np.flatnonzero(present < min_staff)
    comp_rows = np.flatnonzero(competent < min_competent)
    rows = np.concatenate([comp_rows, staff_rows])  # "competent" sorts before "staff"
    kind = np.concatenate([np.zeros(len(comp_rows), np.int8), np.ones(len(staff_rows), np.int8)])
    required = np.concatenate([min_competent[comp_rows], min_staff[staff_rows]])
    got = np.concatenate([competent[comp_rows], present[staff_rows]])
    section_text = sections[rows].astype(str)
    period_text = periods[rows].astype(str)
    order = np.lexsort((kind, period_text, section_text, days[rows]))
    kinds: tuple[Literal["staff", "competent"], ...] = ("competent", "staff")
    return [
        Breach(date=d, section=s, period=p, kind=kinds[k], required=r, present=n)
        for d, s, p, k, r, n in zip(
            days[rows][order].astype("datetime64[D]").astype(object).tolist(),
            section_text[order].tolist(),
            period_text[order].tolist(),
            kind[order].tolist(),
            required[order].tolist(),
            got[order].tolist(),
            strict=True,
        )
    ]


_KIND_LABELS = {"staff": "bemanning", "competent": "kompetens"}


def share_text(share: float, required: float | None = None) -> str:
    """Write a share in whole percent, with decimals only where whole percent would hide that
    it is below the requirement (74,6 % against 75 %, not 75 % against 75 %)."""
    if required is None or share >= required or percent_value(share) != percent_value(required):
        return sv_percent(share)
    for decimals in (1, 2, 3):
        shown = sv_number(share * 100, decimals)
        if shown != sv_number(required * 100, decimals):
            return f"{shown}{NBSP}%"
    return f"under {sv_percent(required)}"


def summary_text(result: StaffingResult) -> str:
    """Return a readable Swedish summary of the analysis (the CLI's output without --json)."""
    days = (result.date_to - result.date_from).days + 1
    people = "okänt" if result.distinct_people is None else str(result.distinct_people)
    share = share_text(result.competent_share, result.min_competent_hours_share)
    required = sv_percent(result.min_competent_hours_share)
    verdict = "under kravet" if result.share_breached else "uppfyller kravet"
    lines = [
        f"Granskad period: {result.date_from} – {result.date_to} ({days} dagar)",
        f"Pass: {result.shifts}, personer: {people}",
        f"Timmar: {sv_number(result.total_hours)}, varav kompetent personal "
        f"{sv_number(result.competent_hours)} ({share}; krav {required}, {verdict})",
        "Timmar per avdelning: "
        + "; ".join(f"{s} {sv_number(h)}" for s, h in result.hours_by_section.items()),
    ]
    if result.breaches:
        lines.append(f"Brister: {len(result.breaches)}")
        for b in result.breaches:
            lines.append(
                f"  {b.date} {b.section} {b.period}: {_KIND_LABELS[b.kind]} {b.present} "
                f"(krav {b.required})"
            )
    else:
        lines.append("Brister: inga")
    if result.warnings:
        lines.append("Varningar:")
        lines.extend(f"  {w}" for w in result.warnings)
    return "\n".join(lines)
