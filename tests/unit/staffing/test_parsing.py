"""Cells to shifts: time, date and break notations, row problems named by row and column,
warnings, and no name leaving the import."""

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.errors import MAX_MESSAGES
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.rules import load_rules
from tests.unit.staffing.fixtures import (
    CSV_HEADER,
    RULES_YAML,
    SCENARIO_NAMES,
    csv_text_style_b,
    read_errors,
    write_csv,
    write_csv_style_b,
    write_xlsx_style_a,
)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("07:00", "15:30", ("07:00", "15:30")),
        ("7.00", "15.30", ("07:00", "15:30")),
        ("0700", "1530", ("07:00", "15:30")),
        ("700", "2200", ("07:00", "22:00")),
        ("7:00:00", "15:30:00", ("07:00", "15:30")),
        ("kl 07.00", "kl. 15,30", ("07:00", "15:30")),
        ("7", "15", ("07:00", "15:00")),
        ("21:30", "07:00", ("21:30", "07:00+1")),
        ("22:00", "24:00", ("22:00", "00:00+1")),
    ],
)
def test_time_notations_in_text(tmp_path: Path, start: str, end: str, expected: tuple) -> None:
    path = write_csv(tmp_path, f"{CSV_HEADER}\n2026-11-02;{start};{end};USK;A;X\n")
    shift = read_schedule(path).shifts.iloc[0]
    got_end = shift["end"].strftime("%H:%M") + ("+1" if shift["end"].day == 3 else "")
    assert (shift["start"].strftime("%H:%M"), got_end) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.time(7, 0), dt.time(15, 30)),
        (7 / 24, 15.5 / 24),  # a time cell without a time format is a fraction of a day
        (dt.datetime(1899, 12, 30, 7, 0), dt.datetime(1899, 12, 30, 15, 30)),
        (dt.time(6, 59, 59, 999000), dt.time(15, 30)),  # floating-point noise in Excel times
        (7.0, 15.3),  # 7.00 typed as a number: hours.minutes
        (700, 1530),
    ],
)
def test_time_notations_in_excel_cells(tmp_path: Path, start: object, end: object) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Datum", "Start", "Slut", "Befattning", "Avdelning"])
    ws.append([dt.date(2026, 11, 2), start, end, "USK", "A"])
    wb.save(tmp_path / "t.xlsx")
    shift = read_schedule(tmp_path / "t.xlsx").shifts.iloc[0]
    assert (shift["start"], shift["end"]) == (
        pd.Timestamp("2026-11-02 07:00"),
        pd.Timestamp("2026-11-02 15:30"),
    )


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(2026, 11, 2),
        dt.datetime(2026, 11, 2),
        "2026-11-02",
        "2/11/2026",
        "02.11.2026",
        "2/11/26",
        "mån 2026-11-02",
        "20261102",
        46328,  # Excel serial number of 2026-11-02
    ],
)
def test_date_notations(tmp_path: Path, cell: object) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Datum", "Tid", "Befattning", "Avdelning"])
    ws.append([cell, "07:00-15:00", "USK", "A"])
    wb.save(tmp_path / "d.xlsx")
    assert read_schedule(tmp_path / "d.xlsx").shifts.iloc[0]["date"] == pd.Timestamp("2026-11-02")


def test_break_notations(tmp_path: Path) -> None:
    text = "Datum;Tid;Rast;Befattning;Avdelning\n" + "".join(
        f"2026-11-02;07:00-15:00;{rest};USK;A\n" for rest in ["", "30", "30,0", "0:45", "15 min"]
    )
    shifts = read_schedule(write_csv(tmp_path, text)).shifts
    assert shifts["break_minutes"].tolist() == [0, 30, 30, 45, 15]
    assert shifts["hours"].tolist() == [8.0, 7.5, 7.5, 7.25, 7.75]


def test_unreadable_time_names_file_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws["C9"] = "7:7x"
    ws["D12"] = "25:99"
    wb.save(path)
    assert read_errors(path) == [
        'schema.xlsx: rad 9, kolumn C (Från): tiden "7:7x" går inte att läsa; skriv t.ex. 07:00.',
        'schema.xlsx: rad 12, kolumn D (Till): tiden "25:99" går inte att läsa; skriv t.ex. 07:00.',
    ]


def test_unreadable_range_and_date_in_csv(tmp_path: Path) -> None:
    text = (
        csv_text_style_b()
        .replace("07:00-15:30", "07:00-15:3O", 1)
        .replace("3/11/2026", "31/11/2026", 1)
    )
    messages = read_errors(write_csv(tmp_path, text, encoding="cp1252"))
    assert messages == [
        'schema.csv: rad 4, kolumn E (Tid): arbetstiden "07:00-15:3O" går inte att läsa; '
        "skriv t.ex. 07:00-15:30.",
        'schema.csv: rad 12, kolumn D (Datum): datumet "31/11/2026" går inte att läsa; '
        "skriv t.ex. 2026-11-02.",
    ]


def test_shift_longer_than_24_hours(tmp_path: Path) -> None:
    text = "Datum;Tid;Befattning;Avdelning\n2026-11-02;07:00-31:30;USK;A\n2026-11-02;07:00-31:00;USK;A\n"
    assert read_errors(write_csv(tmp_path, text)) == [
        "schema.csv: rad 2, kolumn B (Tid): passet är 24,5 timmar långt; ett pass får vara högst "
        "24 timmar."
    ]


def test_break_longer_than_shift_and_missing_end(tmp_path: Path) -> None:
    text = f"{CSV_HEADER};Rast\n2026-11-02;07:00;08:00;USK;A;X;90\n2026-11-02;07:00;;USK;A;X;0\n"
    assert read_errors(write_csv(tmp_path, text)) == [
        "schema.csv: rad 2, kolumn G (Rast): rasten (90 min) är längre än passet.",
        "schema.csv: rad 3, kolumn C (Slut): sluttid saknas.",
    ]


def test_header_without_shifts(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{CSV_HEADER}\n\nSumma pass;0\n")
    assert read_errors(path) == ["schema.csv: filen innehåller inga pass under rubrikraden."]


def test_at_most_twenty_messages_then_a_count(tmp_path: Path) -> None:
    rows = "".join(f"2026-11-02;x{i}:00;15:00;USK;A;X\n" for i in range(30))
    messages = read_errors(write_csv(tmp_path, f"{CSV_HEADER}\n{rows}"))
    assert len(messages) == MAX_MESSAGES + 1
    assert messages[0].startswith('schema.csv: rad 2, kolumn B (Start): tiden "x0:00"')
    assert messages[19].startswith("schema.csv: rad 21, kolumn B (Start)")
    assert messages[-1] == "... och 10 fel till"


def test_absence_rows_same_times_and_missing_roles_are_warned(tmp_path: Path) -> None:
    text = (
        f"{CSV_HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n2026-11-02;Ledig;;USK;A;Y\n"
        "2026-11-02;00:00;00:00;USK;A;Z\n2026-11-02;07:00;15:00;;A;W\n"
    )
    schedule = read_schedule(write_csv(tmp_path, text))
    assert len(schedule.shifts) == 2
    assert schedule.warnings == [
        "1 rad utan klockslag (t.ex. ledighet) räknades inte som pass.",
        "1 rad med samma start- och sluttid räknades inte som pass.",
        "1 pass saknar befattning och räknas inte som kompetent personal.",
    ]
    assert schedule.distinct_people == 2  # only the people of the shifts read


def test_no_name_ever_leaves_the_import(tmp_path: Path) -> None:
    for path in (
        write_xlsx_style_a(tmp_path / "a.xlsx"),
        write_csv_style_b(tmp_path / "b.csv"),
    ):
        schedule = read_schedule(path)
        result = analyse(schedule, load_rules(RULES_YAML))
        dumped = "\n".join(
            [
                schedule.shifts.to_csv(),
                json.dumps(schedule.mapping, ensure_ascii=False),
                *schedule.warnings,
                json.dumps(result.to_json_dict(), ensure_ascii=False),
                result.periods.to_csv(),
            ]
        ).casefold()
        words = set(re.findall(r"\w+", dumped))
        for name in SCENARIO_NAMES:
            for part in name.casefold().split():
                assert part not in words, (path.name, part)
        assert schedule.distinct_people == 12
