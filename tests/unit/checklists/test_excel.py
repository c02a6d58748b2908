"""Checklists in Excel: export layout, round trip (property test), broken files, roles."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook

from audit_app.errors import ValidationFailed
from audit_app.models import AnswerType, FollowUpKind, ItemKind, SectionRole, UnitKind
from audit_app.services import checklists
from audit_app.services.privacy import looks_like_personnummer
from tests.unit.checklists.fixtures import BROKEN, SHIPPED, SMALL, edited, small


def errors_of(data: bytes, filename: str = "checklista.xlsx") -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        checklists.read_excel(data, filename)
    return [e.message for e in exc.value.errors]


# --------------------------------------------------------------------------- export


def test_export_has_the_sheets_headers_dropdowns_and_frozen_header() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(checklists.to_excel(small())))
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
        "Besvaras ur schemat",
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
    data = checklists.content_of(small())
    data["sections"][0]["items"][0]["text"] = '=HYPERLINK("http://x")'
    checklist = checklists.validate_checklist(data)
    exported = checklists.to_excel(checklist)
    assert openpyxl.load_workbook(io.BytesIO(exported))["Frågor"]["C2"].data_type == "s"
    assert checklists.read_excel(exported, "x.xlsx") == checklist


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_checklist_survives_excel(path: Path) -> None:
    checklist = checklists.load_yaml(path)
    assert checklists.read_excel(checklists.to_excel(checklist), "x.xlsx") == checklist


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
    answer = draw(st.sampled_from(list(AnswerType)))
    return {
        "key": key,
        "text": draw(_text(60)),
        "guidance": draw(_text(60, 0) | st.just("")),
        "kind": draw(st.sampled_from(list(ItemKind))).value,
        "clause": draw(_text(10, 0) | st.just("")),
        "answer": answer.value,
        "unit": draw(_text(10)) if answer is AnswerType.tal else "",
        "evidence_required": draw(st.booleans()),
        "applies_to": [k.value for k in draw(_KINDS)],
        "area": draw(_text(20, 0) | st.just("")),
    }


@st.composite
def checklist_data(draw: st.DrawFn) -> dict[str, Any]:
    section_keys = draw(st.lists(_KEYS, min_size=1, max_size=3, unique=True))
    item_keys = iter(draw(st.lists(_KEYS, min_size=len(section_keys), max_size=8, unique=True)))
    roles = draw(
        st.lists(st.sampled_from(list(SectionRole)), unique=True, max_size=len(section_keys))
    )
    roles += [None] * (len(section_keys) - len(roles))
    roles = draw(st.permutations(roles))
    sections = []
    for key, role in zip(section_keys, roles, strict=True):
        may_be_empty = role is SectionRole.requirements
        count = draw(st.integers(0 if may_be_empty else 1, 3))
        items = []
        for _ in range(count):
            item_key = next(item_keys, None)
            if item_key is not None:
                items.append(draw(_item(item_key)))
        assume(items or may_be_empty)
        sections.append(
            {
                "key": key,
                "title": draw(_text(40)),
                "description": draw(_text(60, 0) | st.just("")),
                "role": role.value if role else None,
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
    original = checklists.validate_checklist(data)
    from_yaml = checklists.load_yaml(checklists.dump_yaml(original))
    assert from_yaml == original
    imported = checklists.read_excel(checklists.to_excel(from_yaml), "redigerad.xlsx")
    assert imported == original
    assert checklists.diff(original, imported).is_empty


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_excel_lists_every_error_with_sheet_row_and_column(case: str) -> None:
    make, expected = BROKEN[case]
    messages = errors_of(make(checklists.to_excel(small())))
    assert len(messages) == len(expected)
    for message, want in zip(messages, expected, strict=True):
        assert message.startswith(want), (want, messages)


def test_section_reference_and_about_sheet_errors_point_at_cells() -> None:
    def change(wb: Workbook) -> None:
        wb["Frågor"]["A3"] = "okant"
        wb["Om checklistan"]["B5"] = "tillsyn"
        wb["Om checklistan"]["B4"] = "två"
        wb["Frågor"]["I2"] = "kanske"

    messages = errors_of(edited(checklists.to_excel(small()), change))
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

    result = checklists.read_excel(edited(checklists.to_excel(small()), change), "x.xlsx")
    items = {i.key: i for _, i in result.items()}
    assert items["a1"].text == "Finns en skriftlig rutin?"
    assert items["a2"].kind is ItemKind.bor_krav
    assert (items["k3"].answer, items["k3"].clause, items["k3"].evidence_required) == (
        AnswerType.ja_nej,
        "7.2",
        True,
    )
    assert checklists.diff(small(), result).summary() == "1 ny, 1 omformulerad, 1 ändrad i övrigt"


def test_roles_are_exported_as_codes_and_read_back_from_codes_or_swedish_names() -> None:
    shipped = checklists.load_yaml(SHIPPED / "avtalsuppfoljning.yaml")
    exported = checklists.to_excel(shipped)
    sections = openpyxl.load_workbook(io.BytesIO(exported))["Avsnitt"]
    assert sections["D1"].value == "Roll i dagordningen"
    assert [sections[f"D{row}"].value for row in range(2, 6)] == [
        "previous",
        "staffing",
        "requirements",
        "action_plan",
    ]

    def swedish(wb: Workbook) -> None:
        for row, name in enumerate(
            ["Föregående uppföljning", "Bemanning", "avtalets krav", "ÅTGÄRDSPLAN"], start=2
        ):
            wb["Avsnitt"][f"D{row}"] = name

    assert checklists.read_excel(edited(exported, swedish), "x.xlsx") == shipped

    def cleared(wb: Workbook) -> None:
        wb["Avsnitt"]["D5"] = None

    result = checklists.read_excel(edited(exported, cleared), "x.xlsx")
    assert result.sections[3].role is None
    assert checklists.diff(shipped, result).sections == [
        'Avsnittet "4. Åtgärdsplan och ny uppföljning": roll i dagordningen "åtgärdsplan" → ingen'
    ]


def test_a_workbook_without_the_role_column_is_read_as_plain_sections() -> None:
    def drop(wb: Workbook) -> None:
        wb["Avsnitt"].delete_cols(4)

    result = checklists.read_excel(edited(checklists.to_excel(small()), drop), "x.xlsx")
    assert [s.role for s in result.sections] == [None, None]


def test_read_upload_accepts_yaml_too() -> None:
    assert checklists.read_upload(SMALL.encode(), "liten.yaml") == small()
    with pytest.raises(ValidationFailed, match="UTF-8"):
        checklists.read_upload("key: å".encode("latin-1"), "liten.yaml")
