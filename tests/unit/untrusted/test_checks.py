"""Checks before parsing: what a file is by its bytes, zip bombs by declared sizes, sheets by
their declared dimension, CSV by bytes and rows; every message in Swedish, naming the file."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from audit_app.services.staffing import store
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.untrusted.checks import check_upload, parse_ref
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.sniff import WORKBOOKS, magic_kind
from tests.unit.checklists.fixtures import _encrypted_file as encrypted_file
from tests.unit.untrusted import hostile

SCHEDULE = {"Schema": [["Datum", "Start", "Slut"], ["2026-11-02", "07:00", "15:00"]]}


def refusal(data: bytes, name: str = "schema.xlsx", accept: frozenset[str] = WORKBOOKS) -> str:
    with pytest.raises(FileRejected) as caught:
        check_upload(data, name, accept)
    assert caught.value.filename == name
    (message,) = [e.message for e in caught.value.errors]
    return message


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_normal_workbook_passes_and_is_named_by_its_content() -> None:
    assert check_upload(hostile.xlsx(SCHEDULE), "schema.xlsx", WORKBOOKS) == "xlsx"
    assert check_upload(b"Datum;Start\n2026-11-02;07:00\n", "schema.csv", {"text"}) == "text"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7 ...", "en PDF-fil"),
        (b"<html><body>schema</body></html>", "en webbsida (HTML)"),
        (b"\x89PNG\r\n\x1a\n....", "en bild"),
        (b"Datum;Start\n", "en textfil"),
        (b"\x00\x01\x02binary", "en binärfil"),
    ],
)
def test_a_file_is_what_its_bytes_say_not_its_name(data: bytes, kind: str) -> None:
    assert refusal(data).startswith(
        f"Filen schema.xlsx är {kind}, inte en Excel-fil (.xlsx), en äldre Excel-fil (.xls) "
        "eller ett OpenDocument-kalkylblad (.ods)."
    )


def test_a_word_document_named_xlsx_is_refused_as_what_it_is() -> None:
    assert refusal(docx_bytes()).startswith("Filen schema.xlsx är ett Word-dokument (.docx), inte")
    assert magic_kind(docx_bytes()) == "zip"


def test_empty_and_too_big_files(monkeypatch: pytest.MonkeyPatch) -> None:
    assert refusal(b"") == "Filen schema.xlsx är tom."
    monkeypatch.setenv("AUDIT_UPLOAD_MAX_MB", "1")
    big = b"a;b\n" * 300_000
    assert refusal(big, "schema.csv", frozenset({"text"})) == (
        "Filen schema.csv är 1,1 MB; högst 1 MB tas emot."
    )


def test_a_zip_bomb_is_refused_by_its_declared_ratio_before_unpacking() -> None:
    bomb = hostile.with_bomb(hostile.xlsx(SCHEDULE), "xl/media/image1.png", 64)
    assert len(bomb) < 200_000
    assert refusal(bomb) == (
        "Filen schema.xlsx ser ut som en zip-bomb: delfilen xl/media/image1.png packas upp till "
        "64 MB, 1\xa0011 gånger sin packade storlek (högst 200 gånger). Den läses inte."
    )


def test_a_workbook_whose_members_unpack_too_big_in_total(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_ZIP_MAX_UNPACKED_MB", "1")
    rows = [[f"rad {i}", i * 1.5, "text " * 10] for i in range(20_000)]
    message = refusal(hostile.xlsx({"Schema": rows}))
    assert message.startswith("Filen schema.xlsx packas upp till ")
    assert message.endswith(
        "MB; högst 1 MB tas emot. Ta bort onödiga blad och bilder, eller dela upp filen."
    )


def test_members_that_overlap_are_refused() -> None:
    plain = b"<x/>" * 10
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(plain) + packer.flush()
    member = ("xl/workbook.xml", packed, 8, zlib.crc32(plain), len(plain))
    overlapping = hostile.raw_zip(
        [member] + [(f"m{i}", packed, 8, 0, 40) for i in range(40)], shared=True
    )
    assert refusal(overlapping) == (
        "Filen schema.xlsx ser ut som en zip-bomb: delfilerna överlappar varandra. Den läses inte."
    )


def test_too_many_members_are_refused_from_the_end_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_ZIP_MAX_MEMBERS", "10")
    extra = {f"xl/media/bild{i}.png": b"x" for i in range(20)}
    assert refusal(hostile.xlsx(SCHEDULE, extra=extra)).startswith(
        "Filen schema.xlsx innehåller 26 delfiler; högst 10 tas emot."
    )


def test_a_damaged_zip_is_refused() -> None:
    data = hostile.xlsx(SCHEDULE)
    assert refusal(data[: len(data) // 2]).startswith(
        "Filen schema.xlsx är skadad (en trasig zip-fil) och kan inte läsas."
    )


def test_the_2_kb_workbook_declaring_a_cell_at_xfd1048576_is_refused_naming_the_sheet() -> None:
    data = hostile.huge_dimension_xlsx()
    assert len(data) < 3000
    assert refusal(data) == (
        'Filen schema.xlsx, blad "Schema": bladet anger området A1:XFD1048576 (1\xa0048\xa0576 '
        "rader och 16\xa0384 kolumner); högst 1\xa0500\xa0000 rader och 2\xa0000 kolumner läses. "
        "Ta bort tomma rader och kolumner under och till höger om tabellen (markera dem, "
        "högerklicka, Ta bort) och spara filen på nytt."
    )


def test_styled_empty_cells_over_the_cell_cap_are_refused() -> None:
    data = hostile.styled_cells_xlsx(rows=1_000_000, columns=26)
    assert refusal(data).startswith(
        'Filen schema.xlsx: bladen anger tillsammans 26\xa0000\xa0000 celler (störst: "Schema", '
        "A1:Z1000000); högst 20\xa0000\xa0000 läses."
    )


def test_the_caps_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile.xlsx({"Schema": [[1, 2, 3]] * 50})
    assert check_upload(data, "schema.xlsx", WORKBOOKS) == "xlsx"
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "40")
    assert "högst 40 rader och 2\xa0000 kolumner läses" in refusal(data)
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "100")
    monkeypatch.setenv("AUDIT_SHEET_MAX_CELLS", "100")
    assert "högst 100 läses" in refusal(data)


def test_csv_rows_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "100")
    text = "Datum;Start\n" + "2026-11-02;07:00\n" * 150
    assert refusal(text.encode(), "schema.csv", frozenset({"text"})) == (
        "Filen schema.csv har 152 rader; högst 100 tas emot."
    )


def test_a_password_protected_office_file_is_refused() -> None:
    assert refusal(encrypted_file()).startswith("Filen schema.xlsx är lösenordsskyddad.")


@pytest.mark.parametrize(
    ("ref", "size"),
    [("A1:XFD1048576", (1048576, 16384)), ("B2:C3", (3, 3)), ("$A$1:$Z$9", (9, 26)), ("A", None)],
)
def test_dimension_references_count_from_a1(ref: str, size: tuple[int, int] | None) -> None:
    assert parse_ref(ref) == size


def test_a_sheet_whose_packed_data_is_damaged_is_left_to_the_reader() -> None:
    """Found by the fuzz test: zlib.error escaped while the dimension was looked for."""
    members = hostile.members_of(hostile.xlsx(SCHEDULE))
    damaged = [
        (name, b"\xff" + data[1:] if name.endswith("sheet1.xml") else data, method, crc, size)
        for name, data, method, crc, size in members
    ]
    data = hostile.raw_zip(damaged)
    assert check_upload(data, "schema.xlsx", WORKBOOKS) == "xlsx"
    with pytest.raises(ScheduleError) as caught:
        store.layout_for(data, "schema.xlsx")
    assert caught.value.messages == [
        "schema.xlsx: filen kunde inte läsas som kalkylblad; öppna den och spara den på nytt."
    ]
