"""Analysis of shifts against staffing rules: presence, competence, breaches, share, warnings."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.services.staffing.analysis import analyse, periods_frame, share_text
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.parsing import Schedule, read_schedule
from audit_app.services.staffing.rules import StaffingRules, load_rules
from tests.unit.staffing.fixtures import RULES_YAML, SCENARIO_BREACHES, write_xlsx_style_a

DAY = dt.date(2026, 3, 2)


def make_schedule(shifts: list[tuple[str, str, str, str]], people: int | None = None) -> Schedule:
    """Build a schedule from (section, "YYYY-MM-DD HH:MM" start, end, role) tuples."""
    starts = pd.to_datetime([s[1] for s in shifts]).astype("datetime64[s]")
    ends = pd.to_datetime([s[2] for s in shifts]).astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            "row": np.arange(2, len(shifts) + 2),
            "sheet": "",
            "date": starts.normalize(),
            "start": starts,
            "end": ends,
            "break_minutes": 0.0,
            "hours": (ends - starts) / pd.Timedelta(hours=1),
            "role": [s[3] for s in shifts],
            "section": [s[0] for s in shifts],
        }
    )
    return Schedule("test.xlsx", frame, {}, 1, people)


def rules(**changes: object) -> StaffingRules:
    base = load_rules(RULES_YAML).model_dump()
    base.update(changes)
    return StaffingRules.model_validate(base)


def day_only(min_staff: int = 2, min_competent: int = 1) -> StaffingRules:
    period = {"name": "Dag", "start": "07:00", "end": "15:00"}
    return rules(
        sections=["A"],
        periods=[{**period, "min_staff": min_staff, "min_competent": min_competent}],
    )


def test_scenario_json_exactly(tmp_path: Path) -> None:
    schedule = read_schedule(write_xlsx_style_a(tmp_path / "schema.xlsx"))
    assert analyse(schedule, load_rules(RULES_YAML)).to_json_dict() == {
        "from": "2026-11-02",
        "to": "2026-11-04",
        "shifts": 27,
        "total_hours": 198.0,
        "competent_hours": 142.5,
        "competent_share": 0.7197,
        "share_breached": True,
        "distinct_people": 12,
        "hours_by_section": {"Avd Lärkan": 103.0, "Avd Måsen": 95.0},
        "warnings": [
            "1 rad utan klockslag (t.ex. ledighet) räknades inte som pass.",
            '1 pass på avdelningen "Avd Tranan", som inte finns i reglerna, utelämnades.',
            "1 pass med datum långt från övriga (2025-11-03) utelämnades.",
            "Schemat omfattar 3 dagar (2–4 november 2026), kortare än "
            "granskningsperioden 14 dagar i reglerna.",
        ],
        "breaches": SCENARIO_BREACHES,
        "review_days": 14,
        "coverage": {
            "Avd Lärkan": {
                "from": "2026-11-02",
                "to": "2026-11-04",
                "days_with_shifts": 3,
                "missing_days": [],
            },
            "Avd Måsen": {
                "from": "2026-11-02",
                "to": "2026-11-04",  # the 02:00 hand-over of 11-04 starts on 11-05: not counted
                "days_with_shifts": 3,
                "missing_days": [],
            },
        },
    }


def test_scenario_periods_table(tmp_path: Path) -> None:
    schedule = read_schedule(write_xlsx_style_a(tmp_path / "schema.xlsx"))
    periods = analyse(schedule, load_rules(RULES_YAML)).periods
    assert list(periods.columns) == [
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
    assert len(periods) == 2 * 3 * 2
    table = periods.set_index(["section", "date", "period"])
    late = table.loc[("Avd Lärkan", pd.Timestamp("2026-11-03"), "Dag")]
    assert (late["present"], late["competent"], late["staff_per_place"]) == (2, 1, 0.2)
    assert (late["staff_breach"], late["competent_breach"]) == (True, True)
    handover = table.loc[("Avd Måsen", pd.Timestamp("2026-11-02"), "Natt")]
    assert (handover["present"], handover["competent"], handover["staff_breach"]) == (1, 1, False)
    assert (handover["start"], handover["end"]) == (
        pd.Timestamp("2026-11-02 21:30"),
        pd.Timestamp("2026-11-03 07:00"),
    )
    assert int(periods["staff_breach"].sum()) == 3
    assert int(periods["competent_breach"].sum()) == 3


def test_helper_shift_never_fills_a_gap_at_the_start() -> None:
    schedule = make_schedule(
        [
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-02 10:00", "2026-03-02 13:00", "usk"),
            ("A", "2026-03-02 07:30", "2026-03-02 15:00", "usk"),
        ]
    )
    result = analyse(schedule, day_only(min_staff=2))
    assert result.periods["present"].tolist() == [1]
    assert [(b.kind, b.required, b.present) for b in result.breaches] == [("staff", 2, 1)]


def test_shift_ending_at_period_start_does_not_count() -> None:
    schedule = make_schedule(
        [
            ("A", "2026-03-01 21:30", "2026-03-02 07:00", "usk"),  # night before: ends 07:00
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-02 07:01", "2026-03-02 15:00", "usk"),
        ]
    )
    result = analyse(schedule, day_only(min_staff=2))
    day = result.periods[result.periods["date"] == pd.Timestamp("2026-03-02")]
    assert day["present"].tolist() == [1]


def test_period_past_midnight_belongs_to_its_start_date() -> None:
    schedule = make_schedule(
        [
            ("Avd Lärkan", "2026-03-02 21:30", "2026-03-03 03:00", "usk"),
            ("Avd Lärkan", "2026-03-03 03:00", "2026-03-03 07:00", "vårdbiträde"),
            ("Avd Lärkan", "2026-03-03 21:30", "2026-03-04 07:00", "USK"),
        ]
    )
    result = analyse(schedule, rules(sections=["Avd Lärkan"]))
    night = result.periods[result.periods["period"] == "Natt"].set_index("date")
    assert night["present"].to_dict() == {
        pd.Timestamp("2026-03-02"): 1,
        pd.Timestamp("2026-03-03"): 1,
    }
    assert night["competent"].to_dict() == {
        pd.Timestamp("2026-03-02"): 0,
        pd.Timestamp("2026-03-03"): 1,
    }
    assert (result.date_from, result.date_to) == (dt.date(2026, 3, 2), dt.date(2026, 3, 3))


def test_every_date_between_first_and_last_is_checked() -> None:
    schedule = make_schedule(
        [
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-05 07:00", "2026-03-05 15:00", "usk"),
        ]
    )
    result = analyse(schedule, day_only(min_staff=1, min_competent=1))
    assert result.periods["present"].tolist() == [1, 0, 0, 1]
    assert [(b.date.isoformat(), b.kind) for b in result.breaches] == [
        ("2026-03-03", "competent"),
        ("2026-03-03", "staff"),
        ("2026-03-04", "competent"),
        ("2026-03-04", "staff"),
    ]


def test_competent_roles_are_case_and_space_insensitive() -> None:
    schedule = make_schedule(
        [
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", " Under  Sköterska "),
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "UNDERSKÖTERSKA"),
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "Vårdbiträde"),
        ]
    )
    result = analyse(schedule, day_only(min_staff=3, min_competent=1))
    assert result.periods[["present", "competent"]].values.tolist() == [[3, 1]]
    assert result.competent_hours == 8.0
    result = analyse(
        schedule, rules(competence={"usk": ["under sköterska"], "ssk": ["Underskoterska"]},
                        sections=["A"])
    )  # fmt: skip
    assert result.competent_hours == 8.0


def test_share_exactly_at_the_limit_is_no_breach() -> None:
    schedule = make_schedule(
        [
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("A", "2026-03-02 07:00", "2026-03-02 15:00", "vårdbiträde"),
        ]
    )
    assert analyse(schedule, day_only()).to_json_dict()["share_breached"] is False
    result = analyse(schedule, rules(sections=["A"], min_competent_hours_share=0.76))
    assert (result.competent_share, result.share_breached) == (0.75, True)


def test_unknown_sections_are_left_out_with_a_warning() -> None:
    schedule = make_schedule(
        [
            ("avd  lärkan", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),  # same section
            ("Avd Tranan", "2026-03-02 07:00", "2026-03-02 15:00", "usk"),
            ("Avd Tranan", "2026-03-03 07:00", "2026-03-03 15:00", "usk"),
            ("Köket", "2026-03-03 07:00", "2026-03-03 15:00", "kock"),
        ]
    )
    result = analyse(schedule, rules())
    assert result.shifts == 1
    assert result.hours_by_section == {"Avd Lärkan": 8.0, "Avd Måsen": 0.0}
    assert result.warnings == [
        '2 pass på avdelningen "Avd Tranan", som inte finns i reglerna, utelämnades.',
        '1 pass på avdelningen "Köket", som inte finns i reglerna, utelämnades.',
        "Schemat omfattar 1 dag (2 mars 2026), kortare än granskningsperioden 14 dagar i reglerna.",
        "Avdelningen Avd Måsen har inga pass i schemat.",
    ]
    assert result.date_to == dt.date(2026, 3, 2)  # left-out shifts do not stretch the period


def test_no_shift_in_the_rules_sections_is_an_error() -> None:
    schedule = make_schedule([("Köket", "2026-03-02 07:00", "2026-03-02 15:00", "kock")])
    with pytest.raises(ScheduleError, match=r"inga pass hör till avdelningarna i reglerna"):
        analyse(schedule, rules())


@pytest.mark.parametrize(("gap_days", "left_out"), [(7, 0), (8, 1)])
def test_dates_far_from_the_rest_are_left_out(gap_days: int, left_out: int) -> None:
    base = [(f"2026-03-{d:02d} 07:00", f"2026-03-{d:02d} 15:00") for d in range(2, 16)]
    far = DAY + dt.timedelta(days=13 + gap_days)
    shifts = [("A", s, e, "usk") for s, e in base]
    shifts.append(("A", f"{far} 07:00", f"{far} 15:00", "usk"))
    result = analyse(make_schedule(shifts), day_only(min_staff=1))
    assert result.shifts == 15 - left_out
    if left_out:
        assert result.warnings == [f"1 pass med datum långt från övriga ({far}) utelämnades."]
        assert result.date_to == dt.date(2026, 3, 15)
    else:
        assert result.warnings == [
            f"Avdelningen A saknar pass {gap_days - 1} dagar av perioden (16 mars 2026, "
            "17 mars 2026, 18 mars 2026, 19 mars 2026, 20 mars 2026 …)."
        ]
        assert result.date_to == far


def test_typo_year_before_the_schedule_is_left_out() -> None:
    shifts = [("A", f"2026-03-{d:02d} 07:00", f"2026-03-{d:02d} 15:00", "usk") for d in (2, 3)]
    shifts.append(("A", "2062-03-03 07:00", "2062-03-03 15:00", "usk"))
    shifts.append(("A", "2025-03-03 07:00", "2025-03-03 15:00", "usk"))
    result = analyse(make_schedule(shifts), day_only(min_staff=1))
    assert (result.date_from, result.date_to, result.shifts) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 3),
        2,
    )
    assert result.warnings == [
        "2 pass med datum långt från övriga (2025-03-03, 2062-03-03) utelämnades.",
        "Schemat omfattar 2 dagar (2–3 mars 2026), kortare än granskningsperioden 14 "
        "dagar i reglerna.",
    ]


def test_breaches_are_sorted_by_date_section_period_kind() -> None:
    two = rules(
        sections=["B", "A"],
        periods=[
            {"name": "Natt", "start": "22:00", "end": "06:00", "min_staff": 1, "min_competent": 1},
            {"name": "Dag", "start": "07:00", "end": "15:00", "min_staff": 1, "min_competent": 1},
        ],
    )
    schedule = make_schedule([("A", "2026-03-02 12:00", "2026-03-02 13:00", "x")])
    keys = [
        (b.date.isoformat(), b.section, b.period, b.kind) for b in analyse(schedule, two).breaches
    ]
    assert keys == sorted(keys)
    assert keys[:3] == [
        ("2026-03-02", "A", "Dag", "competent"),
        ("2026-03-02", "A", "Dag", "staff"),
        ("2026-03-02", "A", "Natt", "competent"),
    ]


def test_period_ending_at_midnight() -> None:
    evening = rules(
        sections=["A"],
        periods=[
            {"name": "Kväll", "start": "15:00", "end": "24:00", "min_staff": 1, "min_competent": 0}
        ],
    )
    schedule = make_schedule(
        [
            ("A", "2026-03-02 15:00", "2026-03-02 23:59", "x"),
            ("A", "2026-03-02 23:59", "2026-03-03 00:00", "x"),
        ]
    )
    result = analyse(schedule, evening)
    assert result.periods["present"].tolist() == [1]
    assert result.periods["end"].tolist() == [pd.Timestamp("2026-03-03 00:00")]


# --------------------------------------------------------------------- property test


def reference_minimum(
    shifts: list[tuple[int, int, int]], n_sections: int, periods: list[tuple[int, int]], days: range
) -> dict[tuple[int, int, int], int]:
    """Return (section, day, period) -> lowest head count, minute by minute, the obvious way."""
    horizon = (max(days) + 3) * 1440
    out = {}
    for section in range(n_sections):
        on_duty = [0] * horizon
        for sec, start, end in shifts:
            if sec == section:
                for minute in range(start, end):
                    on_duty[minute] += 1
        for day in days:
            for p, (p_start, p_length) in enumerate(periods):
                first = day * 1440 + p_start
                out[(section, day, p)] = min(on_duty[first : first + p_length])
    return out


shift_strategy = st.tuples(
    st.integers(0, 2),  # section
    st.integers(0, 3),  # start day
    st.integers(0, 1439),  # start minute
    st.integers(1, 1440),  # length in minutes
    st.booleans(),  # competent
)
period_strategy = st.tuples(st.integers(0, 1439), st.integers(1, 1439))


@settings(max_examples=120, deadline=None)
@given(
    shifts=st.lists(shift_strategy, min_size=1, max_size=30),
    periods=st.lists(period_strategy, min_size=1, max_size=3),
)
def test_present_equals_minute_by_minute_reference(
    shifts: list[tuple[int, int, int, int, bool]], periods: list[tuple[int, int]]
) -> None:
    names = ["A", "B", "C"]
    period_rules = []
    for i, (start, length) in enumerate(periods):
        end = (start + length) % 1440
        end_text = "24:00" if start + length == 1440 else f"{end // 60:02d}:{end % 60:02d}"
        period_rules.append(
            {
                "name": f"P{i}",
                "start": f"{start // 60:02d}:{start % 60:02d}",
                "end": end_text,
                "min_staff": 1,
                "min_competent": 1,
            }
        )
    staffing = rules(sections=names, periods=period_rules)
    origin = pd.Timestamp("2026-03-02")
    table = []
    for sec, day, minute, length, competent in shifts:
        start = origin + pd.Timedelta(minutes=day * 1440 + minute)
        end = start + pd.Timedelta(minutes=length)
        table.append((names[sec], str(start), str(end), "usk" if competent else "städ"))
    result = analyse(make_schedule(table), staffing)

    first_day = min(s[1] for s in shifts)
    days = range(first_day, max(s[1] for s in shifts) + 1)
    as_minutes = [(s[0], s[1] * 1440 + s[2], s[1] * 1440 + s[2] + s[3]) for s in shifts]
    expected = reference_minimum(as_minutes, 3, periods, days)
    expected_competent = reference_minimum(
        [m for m, s in zip(as_minutes, shifts, strict=True) if s[4]], 3, periods, days
    )
    got = {
        (names.index(r.section), (r.date - origin).days, int(r.period[1:])): (
            r.present,
            r.competent,
        )
        for r in result.periods.itertuples()
    }
    assert got == {k: (expected[k], expected_competent[k]) for k in expected}


def test_periods_records_are_json_ready_and_rebuild_the_table(tmp_path: Path) -> None:
    schedule = read_schedule(write_xlsx_style_a(tmp_path / "schema.xlsx"))
    result = analyse(schedule, load_rules(RULES_YAML))
    records = json.loads(json.dumps(result.periods_records()))
    assert records[2] == {
        "section": "Avd Lärkan",
        "date": "2026-11-03",
        "period": "Dag",
        "start": "2026-11-03T07:00",
        "end": "2026-11-03T15:00",
        "present": 2,
        "competent": 1,
        "min_staff": 3,
        "min_competent": 2,
        "staff_per_place": 0.2,
        "staff_breach": True,
        "competent_breach": True,
    }
    pd.testing.assert_frame_equal(periods_frame(records), result.periods, check_dtype=False)


@pytest.mark.parametrize(
    ("share", "required", "expected"),
    [
        (0.7197, 0.75, "72\u00a0%"),  # whole percent, as everywhere
        (0.7197, None, "72\u00a0%"),
        (0.752, 0.75, "75\u00a0%"),  # met: whole percent even when it reads like the limit
        (0.7462, 0.75, "74,6\u00a0%"),  # whole percent would read 75 % against 75 %
        (0.74996, 0.75, "74,996\u00a0%"),
    ],
)
def test_share_is_whole_percent_unless_that_hides_a_shortfall(
    share: float, required: float | None, expected: str
) -> None:
    assert share_text(share, required) == expected
