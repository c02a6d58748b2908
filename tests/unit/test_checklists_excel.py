"""Checklists in Excel: export layout, round trip (property test), broken files and the CLI."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from audit_app.cli_checklist import checklist_app
from audit_app.db import get_engine
from audit_app.errors import ValidationFailed
from audit_app.models import ChecklistVersion, FollowUpKind, UnitKind
from audit_app.services import checklists as cl
from audit_app.services.privacy import looks_like_personnummer
from audit_app.services.sheets import ENCRYPTED_MARK, OLE_MAGIC
from tests.unit.test_checklists import SHIPPED, SMALL

runner = CliRunner()


def small() -> cl.Checklist:
    return cl.load_yaml(SMALL)


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """Open an exported workbook, change it as a person would in Excel, save it again."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_of(data: bytes, filename: str = "checklista.xlsx") -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        cl.read_excel(data, filename)
    return [e.message for e in exc.value.errors]


# --------------------------------------------------------------------------- export


def test_export_has_the_sheets_headers_dropdowns_and_frozen_header() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(cl.to_excel(small())))
    assert wb.sheetnames == ["Frågor", "Avsnitt", "Om checklistan", "Anvisningar"]
    items = wb["Frågor"]
    assert [c.value for c in items[1]] == [
        "Avsnitt",
        "Id",
        "Text",
        "Vägledning",
        "Typ",
        "Svarstyp",
        "Enhet",
        "Avtalspunkt",
        "Underlag krävs",
        "Gäller för",
        "Område",
    ]
    assert items.freeze_panes == "A2"
    assert items.column_dimensions["C"].width == 60
    assert [c.value for c in items[2]][:6] == [
        "a",
        "a1",
        "Finns en rutin för avvikelser?",
        None,
        "ska_krav",
        "bedomning",
    ]
    assert items["J4"].value == "sarskilt_boende" and items["I5"].value == "ja"
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in items.data_validations.dataValidation
    }
    assert lists["E2"] == '"ska_krav,bor_krav,fraga"'
    assert lists["F2"] == '"bedomning,ja_nej,tal,text,datum"'
    assert lists["I2"] == '"ja,nej"'
    assert lists["A2"].startswith("=Avsnitt!$A$2")
    about = wb["Om checklistan"]
    assert [(r[0].value, r[1].value) for r in about.iter_rows(min_row=2, max_row=5)] == [
        ("Id", "liten"),
        ("Namn", "Liten checklista"),
        ("Version", 1),
        ("Uppföljningstyp", "avtal"),
    ]
    assert wb["Avsnitt"]["D3"].value == "requirements"


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    data = cl.content_of(small())
    data["sections"][0]["items"][0]["text"] = '=HYPERLINK("http://x")'
    checklist = cl.validate_checklist(data)
    exported = cl.to_excel(checklist)
    assert openpyxl.load_workbook(io.BytesIO(exported))["Frågor"]["C2"].data_type == "s"
    assert cl.read_excel(exported, "x.xlsx") == checklist


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_checklist_survives_excel(path: Path) -> None:
    checklist = cl.load_yaml(path)
    assert cl.read_excel(cl.to_excel(checklist), "x.xlsx") == checklist


# --------------------------------------------------------------------------- property test

_TRICKY = ["=SUMMA(A1)", "007", "1e5", "TRUE", "ja", "'citat", "4.10", "2026-01-01", "- punkt"]
_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co"),
    exclude_characters="\ufffe\uffff\u2028\u2029",
) | st.sampled_from(["\n", "\t", "å", "Ä", "ö", "é", " "])


def _text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    base = st.text(_CHARS, min_size=min_size, max_size=max_size) | st.sampled_from(_TRICKY)
    return base.filter(lambda t: len(t.strip()) >= min_size and not looks_like_personnummer(t))


_KEYS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True).filter(
    lambda k: not k.startswith("krav-")
)
_KINDS = st.lists(st.sampled_from(list(UnitKind)), unique=True, max_size=2)


@st.composite
def _item(draw: st.DrawFn, key: str) -> dict[str, Any]:
    answer = draw(st.sampled_from(list(cl.AnswerType)))
    return {
        "key": key,
        "text": draw(_text(60)),
        "guidance": draw(_text(60, 0) | st.just("")),
        "kind": draw(st.sampled_from(list(cl.ItemKind))).value,
        "clause": draw(_text(10, 0) | st.just("")),
        "answer": answer.value,
        "unit": draw(_text(10)) if answer is cl.AnswerType.tal else "",
        "evidence_required": draw(st.booleans()),
        "applies_to": [k.value for k in draw(_KINDS)],
        "area": draw(_text(20, 0) | st.just("")),
    }


@st.composite
def checklist_data(draw: st.DrawFn) -> dict[str, Any]:
    section_keys = draw(st.lists(_KEYS, min_size=1, max_size=3, unique=True))
    item_keys = iter(draw(st.lists(_KEYS, min_size=len(section_keys), max_size=8, unique=True)))
    flagged = draw(st.sampled_from([None, *range(len(section_keys))]))
    sections = []
    for index, key in enumerate(section_keys):
        count = draw(st.integers(0 if index == flagged else 1, 3))
        items = []
        for _ in range(count):
            item_key = next(item_keys, None)
            if item_key is not None:
                items.append(draw(_item(item_key)))
        assume(items or index == flagged)
        sections.append(
            {
                "key": key,
                "title": draw(_text(40)),
                "description": draw(_text(60, 0) | st.just("")),
                "include_contract_requirements": index == flagged,
                "items": items,
            }
        )
    return {
        "key": draw(_KEYS),
        "name": draw(_text(40)),
        "version": draw(st.integers(1, 99)),
        "kind": draw(st.sampled_from(list(FollowUpKind))).value,
        "description": draw(_text(80, 0) | st.just("")),
        "applies_to": [k.value for k in draw(_KINDS)],
        "sections": sections,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checklist_data())
def test_any_valid_checklist_survives_yaml_excel_and_import(data: dict[str, Any]) -> None:
    original = cl.validate_checklist(data)
    from_yaml = cl.load_yaml(cl.dump_yaml(original))
    assert from_yaml == original
    imported = cl.read_excel(cl.to_excel(from_yaml), "redigerad.xlsx")
    assert imported == original
    assert cl.diff(original, imported).is_empty


# --------------------------------------------------------------------------- broken files


def _wrong_kind(wb: Workbook) -> None:
    wb["Frågor"]["E2"] = "skakrav"


def _empty_text(wb: Workbook) -> None:
    wb["Frågor"]["C3"] = None


def _duplicate_key(wb: Workbook) -> None:
    wb["Frågor"]["B4"] = "a1"


def _missing_sheet(wb: Workbook) -> None:
    del wb["Avsnitt"]


def _unknown_column(wb: Workbook) -> None:
    wb["Frågor"]["L1"] = "Kommentar"
    wb["Frågor"]["L2"] = "Fråga chefen"


WRONG_KIND = (
    'Blad "Frågor", rad 2, kolumn "Typ": "skakrav" är ingen giltig typ. Välj ska_krav, bor_krav '
    "eller fraga."
)
EMPTY_TEXT = 'Blad "Frågor", rad 3, kolumn "Text": Texten är tom. Skriv frågan eller kravet.'
DUPLICATE = (
    'Blad "Frågor", rad 4, kolumn "Id": Id "a1" används redan av en annan fråga. Varje fråga '
    "måste ha ett eget id (första gången på rad 2)."
)
MISSING_SHEET = (
    "Blad \"Avsnitt\" saknas i filen 'checklista.xlsx'. Exportera checklistan på nytt och gör "
    "ändringarna i den filen."
)
UNKNOWN_COLUMN = (
    'Blad "Frågor", rad 1, kolumn "Kommentar": okänd kolumn. Ta bort kolumnen eller använd en av '
    "rubrikerna: Avsnitt, Id, Text, Vägledning, Typ, Svarstyp, Enhet, Avtalspunkt, Underlag "
    "krävs, Gäller för, Område."
)
NOT_EXCEL = "Filen 'checklista.xlsx' är ingen Excel-fil"
PROTECTED = "Filen 'checklista.xlsx' är lösenordsskyddad."


def _encrypted_file() -> bytes:
    """An OLE compound file holding an EncryptedPackage stream, as Excel writes with a password."""
    return OLE_MAGIC + b"\x00" * 504 + ENCRYPTED_MARK + b"\x00" * 2048


BROKEN: dict[str, tuple[Callable[[bytes], bytes], list[str]]] = {
    "fel typ": (lambda d: edited(d, _wrong_kind), [WRONG_KIND]),
    "tom text": (lambda d: edited(d, _empty_text), [EMPTY_TEXT]),
    "dubblett": (lambda d: edited(d, _duplicate_key), [DUPLICATE]),
    "blad saknas": (lambda d: edited(d, _missing_sheet), [MISSING_SHEET]),
    "okänd kolumn": (lambda d: edited(d, _unknown_column), [UNKNOWN_COLUMN]),
    "inte excel": (lambda d: b"Det h\xe4r \xe4r ett Word-dokument.", [NOT_EXCEL]),
    "lösenord": (lambda d: _encrypted_file(), [PROTECTED]),
    "allt på en gång": (
        lambda d: edited(
            d,
            lambda wb: [f(wb) for f in (_wrong_kind, _empty_text, _duplicate_key, _unknown_column)],
        ),
        [UNKNOWN_COLUMN, WRONG_KIND, EMPTY_TEXT, DUPLICATE],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_excel_lists_every_error_with_sheet_row_and_column(case: str) -> None:
    make, expected = BROKEN[case]
    messages = errors_of(make(cl.to_excel(small())))
    assert len(messages) == len(expected)
    for message, want in zip(messages, expected, strict=True):
        assert message.startswith(want), (want, messages)


def test_section_reference_and_about_sheet_errors_point_at_cells() -> None:
    def change(wb: Workbook) -> None:
        wb["Frågor"]["A3"] = "okant"
        wb["Om checklistan"]["B5"] = "tillsyn"
        wb["Om checklistan"]["B4"] = "två"
        wb["Frågor"]["I2"] = "kanske"

    messages = errors_of(edited(cl.to_excel(small()), change))
    assert messages == [
        'Blad "Frågor", rad 2, kolumn "Underlag krävs": "kanske" är inget giltigt värde. Ange ja '
        "eller nej.",
        'Blad "Frågor", rad 3, kolumn "Avsnitt": Avsnittet "okant" finns inte på bladet '
        '"Avsnitt". Välj ett av: "a", "krav".',
        'Blad "Om checklistan", rad 4, kolumn "Värde": "två" är inget heltal. Ange versionen som '
        "ett heltal, t.ex. 2.",
        'Blad "Om checklistan", rad 5, kolumn "Värde": "tillsyn" är ingen giltig uppföljningstyp. '
        "Välj avtal, ledningssystem, kvalitetsrevision, riktad, bistandsarenden eller "
        "ateruppfoljning.",
    ]


def test_edits_people_make_in_excel_are_read_back() -> None:
    def change(wb: Workbook) -> None:
        ws = wb["Frågor"]
        ws["C2"] = "Finns en skriftlig rutin?"
        ws["E3"] = "BÖR-krav"
        ws.append(["krav", "k3", "Ny fråga", None, "fraga", "ja/nej", None, 7.2, True, None, None])
        ws.insert_rows(6)  # an empty row in the middle is ignored

    result = cl.read_excel(edited(cl.to_excel(small()), change), "x.xlsx")
    items = {i.key: i for _, i in result.items()}
    assert items["a1"].text == "Finns en skriftlig rutin?"
    assert items["a2"].kind is cl.ItemKind.bor_krav
    assert (items["k3"].answer, items["k3"].clause, items["k3"].evidence_required) == (
        cl.AnswerType.ja_nej,
        "7.2",
        True,
    )
    assert cl.diff(small(), result).summary() == "1 ny, 1 omformulerad, 1 ändrad i övrigt"


def test_read_upload_accepts_yaml_too() -> None:
    assert cl.read_upload(SMALL.encode(), "liten.yaml") == small()
    with pytest.raises(ValidationFailed, match="UTF-8"):
        cl.read_upload("key: å".encode("latin-1"), "liten.yaml")


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _versions(url: str) -> int:
    with Session(get_engine(url)) as session:
        return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    shipped = sorted(str(p) for p in SHIPPED.glob("*.yaml"))
    ok = runner.invoke(checklist_app, ["validate", *shipped])
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.count(": OK (") == len(shipped)
    assert "SKA-krav särskilt boende (standardkrav), 6 avsnitt, 32 frågor" in ok.stdout

    broken = tmp_path / "trasig.yaml"
    broken.write_text(SMALL.replace("kind: ska_krav", "kind: skakrav", 1), encoding="utf-8")
    bad = runner.invoke(checklist_app, ["validate", shipped[0], str(broken)])
    assert bad.exit_code == 1
    assert f"{broken}: 1 fel" in bad.stderr
    assert '"skakrav" är ingen giltig typ' in bad.stderr
    assert "trasig" not in bad.stdout


def test_cli_export_then_import_edited_file_prints_new_version(cli_db: str, tmp_path: Path) -> None:
    target = tmp_path / "avtal.xlsx"
    result = runner.invoke(checklist_app, ["export", "avtalsuppfoljning", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"Exporterade avtalsuppfoljning version 1 till {target}."
    shipped = cl.load_yaml(SHIPPED / "avtalsuppfoljning.yaml")
    assert cl.read_excel(target.read_bytes(), target.name) == shipped
    before = _versions(cli_db)

    same = runner.invoke(checklist_app, ["import", str(target)])
    assert same.exit_code == 0 and "oförändrad jämfört med version 1" in same.stdout
    assert _versions(cli_db) == before

    target.write_bytes(
        edited(target.read_bytes(), lambda wb: wb["Frågor"].cell(row=2, column=3, value="Ny text"))
    )
    changed = runner.invoke(checklist_app, ["import", str(target)])
    assert changed.exit_code == 0, changed.stderr
    assert changed.stdout.strip() == "Sparade avtalsuppfoljning version 2 (1 omformulerad)."
    # The new base also gives new composed versions (one per unit kind with a SKA-krav list).
    assert _versions(cli_db) == before + 3
    listing = runner.invoke(checklist_app, ["list"])
    assert "avtalsuppfoljning\tversion 2\tavtal" in listing.stdout


def test_cli_export_unknown_key_fails(cli_db: str, tmp_path: Path) -> None:
    result = runner.invoke(checklist_app, ["export", "finns-inte", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "Checklistan 'finns-inte' (version senaste) finns inte." in result.stderr


@pytest.mark.parametrize("case", list(BROKEN))
def test_cli_import_of_broken_file_exits_1_and_saves_nothing(
    case: str, cli_db: str, tmp_path: Path
) -> None:
    exported = tmp_path / "checklista.xlsx"
    assert (
        runner.invoke(checklist_app, ["export", "avtalsuppfoljning", "-o", str(exported)]).exit_code
        == 0
    )
    source = cl.to_excel(small())  # rows and ids of the small checklist match the cases
    make, expected = BROKEN[case]
    exported.write_bytes(make(source))
    before = _versions(cli_db)
    result = runner.invoke(checklist_app, ["import", str(exported)])
    assert result.exit_code == 1
    assert f"{len(expected)} fel. Inget har sparats." in result.stderr
    for want in expected:
        assert want in result.stderr
    assert result.stdout == ""
    assert _versions(cli_db) == before


def test_cli_schema_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = runner.invoke(checklist_app, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == (SHIPPED / "schema.json").read_text(
        encoding="utf-8"
    )
