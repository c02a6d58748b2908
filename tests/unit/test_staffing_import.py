"""Reading schedule exports: file styles, column mapping, time and date notations, bad input."""

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from audit_app.services.staffing import (
    MAX_MESSAGES,
    ScheduleError,
    analyse,
    detect_mapping,
    inspect_schedule,
    load_rules,
    read_schedule,
)
from tests.unit.staffing_fixtures import (
    RULES_YAML,
    SCENARIO_BREACHES,
    SCENARIO_NAMES,
    csv_text_style_b,
    scenario,
    write_csv_style_b,
    write_encrypted_xlsx,
    write_ods,
    write_xls,
    write_xlsx_style_a,
)

HEADER = "Datum;Start;Slut;Befattning;Avdelning;Namn"


def _csv(tmp_path: Path, text: str, name: str = "schema.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _errors(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(ScheduleError) as caught:
        read_schedule(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.messages


# ------------------------------------------------------------------------------ file styles


def test_style_a_xlsx_title_rows_excel_cells_footer_and_night_shifts(tmp_path: Path) -> None:
    schedule = read_schedule(write_xlsx_style_a(tmp_path / "schema.xlsx"))
    assert schedule.header_row == 4
    assert schedule.mapping == {
        "date": "Datum",
        "start": "Från",
        "end": "Till",
        "break": "Rast (min)",
        "role": "Yrke",
        "section": "Avd",
        "name": "Anställd",
    }
    shifts = schedule.shifts
    assert len(shifts) == len(scenario()) == 29
    # Every row of the scenario is a shift: rows 5..33, dates filled down from merged cells.
    assert shifts["row"].tolist() == list(range(5, 34))
    first = shifts.iloc[0]
    assert (first["date"], first["start"], first["end"]) == (
        pd.Timestamp("2026-11-02"),
        pd.Timestamp("2026-11-02 07:00"),
        pd.Timestamp("2026-11-02 15:30"),
    )
    assert (first["break_minutes"], first["hours"], first["role"]) == (30, 8.0, "USK")
    night = shifts.iloc[3]  # 21:30-07:00 ends the next day
    assert (night["start"], night["end"], night["hours"]) == (
        pd.Timestamp("2026-11-02 21:30"),
        pd.Timestamp("2026-11-03 07:00"),
        9.5,
    )
    assert shifts["hours"].sum() == pytest.approx(198.0 + 8.0 + 8.0)  # + Tranan + typo year
    assert schedule.distinct_people == len(SCENARIO_NAMES)
    assert schedule.warnings == ["1 rad utan klockslag (t.ex. ledighet) räknades inte som pass."]


def test_style_b_csv_cp1252_semicolons_ranges_and_decimal_commas(tmp_path: Path) -> None:
    path = write_csv_style_b(tmp_path / "schema.csv")
    assert "Måsen".encode("cp1252") in path.read_bytes()
    schedule = read_schedule(path)
    assert schedule.header_row == 3
    assert schedule.mapping == {
        "name": "Personal",
        "role": "Befattning",
        "section": "Enhet",
        "date": "Datum",
        "range": "Tid",
        "break": "Rast",
    }
    assert len(schedule.shifts) == 29
    assert schedule.shifts["row"].tolist() == list(range(4, 33))
    assert schedule.shifts["break_minutes"].tolist()[:3] == [30.0, 30.0, 30.0]
    assert schedule.distinct_people == 12
    assert schedule.warnings == []


@pytest.mark.parametrize(
    "writer",
    [write_xlsx_style_a, write_csv_style_b, write_xls, write_ods],
    ids=lambda w: w.__name__,
)
def test_every_format_gives_the_known_breaches(tmp_path: Path, writer: object) -> None:
    needs = {"write_xls": "xlwt", "write_ods": "odf"}.get(writer.__name__)  # type: ignore[attr-defined]
    if needs:
        pytest.importorskip(needs)  # test-only writers of legacy formats
    suffix = {"write_xls": ".xls", "write_ods": ".ods", "write_csv_style_b": ".csv"}
    name = "schema" + suffix.get(writer.__name__, ".xlsx")  # type: ignore[attr-defined]
    path = writer(tmp_path / name)  # type: ignore[operator]
    result = analyse(read_schedule(path), load_rules(RULES_YAML)).to_json_dict()
    assert result["breaches"] == SCENARIO_BREACHES
    assert (result["shifts"], result["total_hours"], result["competent_hours"]) == (
        27,
        198.0,
        142.5,
    )
    assert result["distinct_people"] == 12


def test_utf8_bom_comma_and_tab_csv(tmp_path: Path) -> None:
    rows = ["Datum,Från,Till,Roll,Avd,Namn", "2026-11-02,07:00,15:00,USK,Avd Måsen,Åsa Öberg"]
    comma = _csv(tmp_path, "\n".join(rows) + "\n", "komma.csv", "utf-8-sig")
    tab = _csv(tmp_path, "\n".join(r.replace(",", "\t") for r in rows), "tabb.csv", "utf-8")
    for path in (comma, tab):
        shifts = read_schedule(path).shifts
        assert shifts[["section", "role", "hours"]].values.tolist() == [["Avd Måsen", "USK", 8.0]]


# ------------------------------------------------------------------------- notations


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
    path = _csv(tmp_path, f"{HEADER}\n2026-11-02;{start};{end};USK;A;X\n")
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
    shifts = read_schedule(_csv(tmp_path, text)).shifts
    assert shifts["break_minutes"].tolist() == [0, 30, 30, 45, 15]
    assert shifts["hours"].tolist() == [8.0, 7.5, 7.5, 7.25, 7.75]


# ------------------------------------------------------------------------- column mapping


def test_detect_mapping_from_swedish_synonyms() -> None:
    assert detect_mapping(["Namn", "Datum", "Från", "Till", "Titel", "Enhet", "Rast"]) == {
        "name": "Namn",
        "date": "Datum",
        "start": "Från",
        "end": "Till",
        "role": "Titel",
        "section": "Enhet",
        "break": "Rast",
    }
    assert detect_mapping(["Dag", "Arbetstid", "Roll", "Avdelning", "Anställd"]) == {
        "date": "Dag",
        "range": "Arbetstid",
        "role": "Roll",
        "section": "Avdelning",
        "name": "Anställd",
    }
    # The better synonym wins: Datum over Dag, Avdelning over Enhet; Start/Slut over Tid.
    found = detect_mapping(["Dag", "Datum", "Enhet", "Avdelning", "Starttid", "Sluttid", "Tid"])
    assert found == {"date": "Datum", "section": "Avdelning", "start": "Starttid", "end": "Sluttid"}
    assert detect_mapping(["Rast tid", "Tid in", "Tid ut", "Yrke"]) == {
        "break": "Rast tid",
        "start": "Tid in",
        "end": "Tid ut",
        "role": "Yrke",
    }
    assert detect_mapping(["Summa", "Kommentar", None, 12]) == {}


def test_explicit_mapping_wins(tmp_path: Path) -> None:
    text = "Datum;Pass;Kl;Yrke;Grupp;Namn;Titel\n2026-11-02;Dag;07:00-15:00;Vårdbiträde;A;X;USK\n"
    path = _csv(tmp_path, text)
    assert read_schedule(path, mapping={"range": "Kl"}).shifts.iloc[0]["role"] == "Vårdbiträde"
    schedule = read_schedule(path, mapping={"range": "kl", "role": "Titel", "name": ""})
    assert schedule.shifts.iloc[0]["role"] == "USK"
    assert schedule.mapping == {"date": "Datum", "range": "Kl", "section": "Grupp", "role": "Titel"}
    assert schedule.distinct_people is None
    # Swedish field names are accepted too.
    swedish = read_schedule(path, mapping={"tid": "Kl", "befattning": "Titel"})
    assert swedish.shifts.iloc[0]["role"] == "USK"


def test_inspect_shows_headers_mapping_and_what_is_missing(tmp_path: Path) -> None:
    text = "Schema\n\nDatum;Kl;Slut;Namn;Avdelning\n2026-11-02;07:00;15:00;X;A\n"
    path = _csv(tmp_path, text)
    with pytest.raises(ScheduleError, match="hittar ingen rubrikrad"):
        inspect_schedule(path)
    layout = inspect_schedule(path, mapping={"start": "Kl"})
    assert (layout.header_row, layout.headers) == (3, ["Datum", "Kl", "Slut", "Namn", "Avdelning"])
    assert layout.mapping == {
        "date": "Datum",
        "start": "Kl",
        "end": "Slut",
        "name": "Namn",
        "section": "Avdelning",
    }
    assert layout.missing == ["role"]


# ---------------------------------------------------------------------------- bad input


def test_no_recognisable_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Vecka;Pass;Person\n45;Dag;X\n", "vecka.csv")
    (message,) = _errors(path)
    assert message.startswith("vecka.csv: hittar ingen rubrikrad med kolumner för datum och tid")


def test_unreadable_time_names_file_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws["C9"] = "7:7x"
    ws["D12"] = "25:99"
    wb.save(path)
    assert _errors(path) == [
        'schema.xlsx: rad 9, kolumn C (Från): tiden "7:7x" går inte att läsa; skriv t.ex. 07:00.',
        'schema.xlsx: rad 12, kolumn D (Till): tiden "25:99" går inte att läsa; skriv t.ex. 07:00.',
    ]


def test_unreadable_range_and_date_in_csv(tmp_path: Path) -> None:
    text = (
        csv_text_style_b()
        .replace("07:00-15:30", "07:00-15:3O", 1)
        .replace("3/11/2026", "31/11/2026", 1)
    )
    messages = _errors(_csv(tmp_path, text, encoding="cp1252"))
    assert messages == [
        'schema.csv: rad 4, kolumn E (Tid): arbetstiden "07:00-15:3O" går inte att läsa; '
        "skriv t.ex. 07:00-15:30.",
        'schema.csv: rad 12, kolumn D (Datum): datumet "31/11/2026" går inte att läsa; '
        "skriv t.ex. 2026-11-02.",
    ]


def test_shift_longer_than_24_hours(tmp_path: Path) -> None:
    text = "Datum;Tid;Befattning;Avdelning\n2026-11-02;07:00-31:30;USK;A\n2026-11-02;07:00-31:00;USK;A\n"
    assert _errors(_csv(tmp_path, text)) == [
        "schema.csv: rad 2, kolumn B (Tid): passet är 24,5 timmar långt; ett pass får vara högst "
        "24 timmar."
    ]


def test_break_longer_than_shift_and_missing_end(tmp_path: Path) -> None:
    text = f"{HEADER};Rast\n2026-11-02;07:00;08:00;USK;A;X;90\n2026-11-02;07:00;;USK;A;X;0\n"
    assert _errors(_csv(tmp_path, text)) == [
        "schema.csv: rad 2, kolumn G (Rast): rasten (90 min) är längre än passet.",
        "schema.csv: rad 3, kolumn C (Slut): sluttid saknas.",
    ]


@pytest.mark.parametrize("name", ["tom.csv", "tom.xlsx", "tom.ods", "tom.xls"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert _errors(path) == [f"{name}: filen är tom."]


def test_workbook_with_only_empty_sheet(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    (message,) = _errors(tmp_path / "blank.xlsx")
    assert message.startswith("blank.xlsx: ")
    assert "tom" in message or "inga rader" in message


def test_header_without_shifts(tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{HEADER}\n\nSumma pass;0\n")
    assert _errors(path) == ["schema.csv: filen innehåller inga pass under rubrikraden."]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("schema.xlsx", f"{HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n".encode(), "en textfil"),
        ("schema.xls", b"<html><table><tr><td>Datum</td></tr></table></html>", "en webbsida"),
        ("schema.ods", b"PK\x03\x04 not really a zip", "en skadad zip- eller Excel-fil"),
    ],
)
def test_file_that_is_not_what_its_extension_says(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (message,) = _errors(path)
    assert message.startswith(f"{name}: filen har ändelsen {path.suffix} men är {kind}")


def test_workbook_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "schema.csv"
    path.write_bytes(write_xlsx_style_a(tmp_path / "a.xlsx").read_bytes())
    assert _errors(path)[0].startswith("schema.csv: filen har ändelsen .csv men är en Excel-fil")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "schema.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert _errors(path)[0].startswith("schema.pdf: filtypen .pdf stöds inte")


def test_password_protected_workbook(tmp_path: Path) -> None:
    pytest.importorskip("msoffcrypto")
    path = write_encrypted_xlsx(tmp_path / "skyddad.xlsx")
    (message,) = _errors(path)
    assert message.startswith("skyddad.xlsx: arbetsboken är lösenordsskyddad.")


def test_missing_required_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Datum;Start;Slut;Namn\n2026-11-02;07:00;15:00;X\n")
    messages = _errors(path)
    assert [m.split(" (")[0] for m in messages] == [
        "schema.csv: kolumn för befattning saknas",
        "schema.csv: kolumn för avdelning saknas",
    ]
    assert "Befattning, Yrke, Roll, Titel" in messages[0]


def test_mapped_header_not_in_file(tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n")
    with pytest.raises(ScheduleError, match=r"hittar ingen rubrikrad .*'Yrkesroll'"):
        read_schedule(path, mapping={"role": "Yrkesroll"})
    with pytest.raises(ScheduleError, match="Okänt fält 'färg'"):
        read_schedule(path, mapping={"färg": "Namn"})


def test_at_most_twenty_messages_then_a_count(tmp_path: Path) -> None:
    rows = "".join(f"2026-11-02;x{i}:00;15:00;USK;A;X\n" for i in range(30))
    messages = _errors(_csv(tmp_path, f"{HEADER}\n{rows}"))
    assert len(messages) == MAX_MESSAGES + 1
    assert messages[0].startswith('schema.csv: rad 2, kolumn B (Start): tiden "x0:00"')
    assert messages[19].startswith("schema.csv: rad 21, kolumn B (Start)")
    assert messages[-1] == "... och 10 fel till"


def test_absence_rows_same_times_and_missing_roles_are_warned(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n2026-11-02;Ledig;;USK;A;Y\n"
        "2026-11-02;00:00;00:00;USK;A;Z\n2026-11-02;07:00;15:00;;A;W\n"
    )
    schedule = read_schedule(_csv(tmp_path, text))
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
        for name in SCENARIO_NAMES:
            for part in name.casefold().split():
                assert part not in dumped, (path.name, part)
        assert schedule.distinct_people == 12


def test_utf16_tab_text_from_excel(tmp_path: Path) -> None:
    text = "Datum\tTid\tBefattning\tAvdelning\n2026-11-02\t07:00-15:00\tUSK\tAvd Måsen\n"
    path = tmp_path / "unicode.csv"
    path.write_bytes(text.encode("utf-16"))
    shifts = read_schedule(path).shifts
    assert shifts[["section", "hours"]].values.tolist() == [["Avd Måsen", 8.0]]


def test_every_sheet_with_a_header_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    assert info is not None
    info.title = "Info"
    info.append(["Utskrivet av planeringssystemet"])
    for week, day in (("v45", 2), ("v46", 9)):
        ws = wb.create_sheet(week)
        ws.append(["Datum", "Start", "Slut", "Befattning", "Avdelning"])
        ws.append([dt.date(2026, 11, day), dt.time(7), dt.time(15), "USK", "A"])
    wb["v46"].append([dt.date(2026, 11, 10), "7:7x", dt.time(15), "USK", "A"])
    wb.save(tmp_path / "veckor.xlsx")
    assert _errors(tmp_path / "veckor.xlsx") == [
        'veckor.xlsx, blad v46: rad 3, kolumn B (Start): tiden "7:7x" går inte att läsa; '
        "skriv t.ex. 07:00."
    ]
    wb["v46"]["B3"] = dt.time(7)
    wb.save(tmp_path / "veckor.xlsx")
    schedule = read_schedule(tmp_path / "veckor.xlsx")
    assert schedule.shifts[["sheet", "row"]].values.tolist() == [["v45", 2], ["v46", 2], ["v46", 3]]
    assert schedule.warnings[0] == (
        'Bladet "Info" har ingen rubrikrad med datum och tid och lästes inte.'
    )


def test_csv_line_wider_than_the_header_area(tmp_path: Path) -> None:
    rows = "".join(f"2026-11-0{d};07:00;15:00;USK;A;X\n" for d in range(2, 9))
    text = f"Schema\n{HEADER}\n{rows}Summa pass;7;;;;;;;;;;;;\n"
    schedule = read_schedule(_csv(tmp_path, text))
    assert len(schedule.shifts) == 7
    assert schedule.shifts["row"].tolist() == list(range(3, 10))


def test_repeated_header_rows_from_page_breaks_are_skipped(tmp_path: Path) -> None:
    row = "2026-11-02;07:00;15:00;USK;A;X\n"
    schedule = read_schedule(_csv(tmp_path, f"{HEADER}\n{row}\n{HEADER}\n{row}"))
    assert schedule.shifts["row"].tolist() == [2, 5]
    assert schedule.warnings == []
