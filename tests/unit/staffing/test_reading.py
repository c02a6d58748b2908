"""Reading schedule files: xlsx, xls, ods and CSV styles, encodings, sheets, header rows and
files that are not what they claim."""

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from audit_app.services.staffing import reading
from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.parsing import read_schedule, schedule_from_table
from audit_app.services.staffing.rules import load_rules
from tests.unit.staffing.fixtures import (
    CSV_HEADER,
    RULES_YAML,
    SCENARIO_BREACHES,
    SCENARIO_NAMES,
    read_errors,
    scenario,
    write_csv,
    write_csv_style_b,
    write_encrypted_xlsx,
    write_ods,
    write_xls,
    write_xlsx_style_a,
)


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
    comma = write_csv(tmp_path, "\n".join(rows) + "\n", "komma.csv", "utf-8-sig")
    tab = write_csv(tmp_path, "\n".join(r.replace(",", "\t") for r in rows), "tabb.csv", "utf-8")
    for path in (comma, tab):
        shifts = read_schedule(path).shifts
        assert shifts[["section", "role", "hours"]].values.tolist() == [["Avd Måsen", "USK", 8.0]]


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
    assert read_errors(tmp_path / "veckor.xlsx") == [
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
    text = f"Schema\n{CSV_HEADER}\n{rows}Summa pass;7;;;;;;;;;;;;\n"
    schedule = read_schedule(write_csv(tmp_path, text))
    assert len(schedule.shifts) == 7
    assert schedule.shifts["row"].tolist() == list(range(3, 10))


def test_repeated_header_rows_from_page_breaks_are_skipped(tmp_path: Path) -> None:
    row = "2026-11-02;07:00;15:00;USK;A;X\n"
    schedule = read_schedule(write_csv(tmp_path, f"{CSV_HEADER}\n{row}\n{CSV_HEADER}\n{row}"))
    assert schedule.shifts["row"].tolist() == [2, 5]
    assert schedule.warnings == []


def test_no_recognisable_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Vecka;Pass;Person\n45;Dag;X\n", "vecka.csv")
    (message,) = read_errors(path)
    assert message.startswith("vecka.csv: hittar ingen rubrikrad med kolumner för datum och tid")


@pytest.mark.parametrize("name", ["tom.csv", "tom.xlsx", "tom.ods", "tom.xls"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert read_errors(path) == [f"{name}: filen är tom."]


def test_workbook_with_only_empty_sheet(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    (message,) = read_errors(tmp_path / "blank.xlsx")
    assert message.startswith("blank.xlsx: ")
    assert "tom" in message or "inga rader" in message


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("schema.xlsx", f"{CSV_HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n".encode(), "en textfil"),
        ("schema.xls", b"<html><table><tr><td>Datum</td></tr></table></html>", "en webbsida"),
        ("schema.ods", b"PK\x03\x04 not really a zip", "en skadad zip- eller Excel-fil"),
    ],
)
def test_file_that_is_not_what_its_extension_says(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (message,) = read_errors(path)
    assert message.startswith(f"{name}: filen har ändelsen {path.suffix} men är {kind}")


def test_workbook_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "schema.csv"
    path.write_bytes(write_xlsx_style_a(tmp_path / "a.xlsx").read_bytes())
    assert read_errors(path)[0].startswith(
        "schema.csv: filen har ändelsen .csv men är en Excel-fil"
    )


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "schema.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert read_errors(path)[0].startswith("schema.pdf: filtypen .pdf stöds inte")


def test_password_protected_workbook(tmp_path: Path) -> None:
    pytest.importorskip("msoffcrypto")
    path = write_encrypted_xlsx(tmp_path / "skyddad.xlsx")
    (message,) = read_errors(path)
    assert message.startswith("skyddad.xlsx: arbetsboken är lösenordsskyddad.")


def test_cells_after_the_typed_sample_keep_their_text(tmp_path: Path) -> None:
    # fastexcel types a column from its first 1000 rows; later text cells are kept as text.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Datum", "Start", "Slut", "Befattning", "Avdelning"])
    for _ in range(1100):
        ws.append([dt.date(2026, 11, 2), dt.time(7), dt.time(15), "USK", "A"])
    ws.append([dt.date(2026, 11, 2), "0700", "15.30", "USK", "A"])
    ws.append(["Summa pass", 1101])
    wb.save(tmp_path / "lang.xlsx")
    shifts = read_schedule(tmp_path / "lang.xlsx").shifts
    assert len(shifts) == 1101
    assert str(shifts.iloc[-1]["end"]) == "2026-11-02 15:30:00"
    ws["B1102"] = "7:7x"
    wb.save(tmp_path / "lang.xlsx")
    assert read_errors(tmp_path / "lang.xlsx") == [
        'lang.xlsx: rad 1102, kolumn B (Start): tiden "7:7x" går inte att läsa; skriv t.ex. 07:00.'
    ]


def test_fallback_reader_is_named_in_the_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_source: object) -> None:
        raise RuntimeError("fastexcel kan inte")

    monkeypatch.setattr(reading.fastexcel, "read_excel", broken)
    schedule = read_schedule(write_xlsx_style_a(tmp_path / "schema.xlsx"))
    assert schedule.warnings[0].startswith("Filen lästes med reservläsaren calamine")
    result = analyse(schedule, load_rules(RULES_YAML)).to_json_dict()
    assert (result["breaches"], result["total_hours"]) == (SCENARIO_BREACHES, 198.0)


def test_the_table_crosses_a_process_boundary_as_arrow_ipc(tmp_path: Path) -> None:
    data = write_xlsx_style_a(tmp_path / "schema.xlsx").read_bytes()
    ipc = reading.read_table_ipc(data, "schema.xlsx", {})
    table = reading.table_from_ipc(ipc)
    assert table.column_names[:2] == ["sheet", "line"]
    handed_over = " ".join(str(v) for c in table.columns for v in c.to_pylist()).casefold()
    assert "anna" not in handed_over and "berg" not in handed_over  # names hashed in the reader
    schedule = schedule_from_table(table)
    assert schedule.shifts.equals(read_schedule(data, filename="schema.xlsx").shifts)
    assert schedule.distinct_people == 12


def test_csv_with_a_quote_never_closed(tmp_path: Path) -> None:
    text = f'{CSV_HEADER}\n2026-11-02;"07:00;15:00;USK;A;X\n2026-11-03;07:00;15:00;USK;A;X\n'
    assert read_errors(write_csv(tmp_path, text)) == [
        "schema.csv: CSV-filen kan inte läsas; kontrollera citattecken och avgränsare."
    ]
