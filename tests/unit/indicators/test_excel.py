"""Indicator results from Excel: the workbook to fill in, a good import, and every error named
by file, sheet, row and column with nothing saved."""

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import IndicatorResult, IndicatorStatus
from audit_app.services import indicators
from tests.conftest import LASARE, REVISOR
from tests.unit.indicators.conftest import Place


def _book(rows: list[list[Any]], sheet: str = "Resultat") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = ["Indikator", "Period", "Värde", "Status", "Bedömning"]


@pytest.fixture
def two(session: Session, place: Place) -> Place:
    indicators.add_from_example(session, REVISOR, place.contract.id, "genomforandeplaner_aktuella")
    indicators.add_from_example(session, REVISOR, place.contract.id, "avvikelser_analyserade")
    return place


def test_the_workbook_to_fill_in_has_a_row_per_indicator(session: Session, two: Place) -> None:
    data = indicators.results_workbook(session, LASARE, two.contract.id)
    wb = load_workbook(io.BytesIO(data))
    rows = [[c.value for c in r] for r in wb["Resultat"].iter_rows()]
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == [
        "Genomförandeplaner aktuella",
        "Avvikelser rapporterade och analyserade",
    ]
    help_text = " ".join(str(r[0].value) for r in wb["Anvisningar"].iter_rows())
    assert "VOF 2024/118" in help_text and "minst 95" in help_text


def test_an_import_records_every_row(session: Session, two: Place) -> None:
    template = indicators.results_workbook(session, REVISOR, two.contract.id)
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Resultat"]
    ws["B2"], ws["C2"] = "2026 T1", "92,5"
    ws["B3"], ws["D3"], ws["E3"] = "2026 T1", "Delvis", "Orsaksanalys saknas i flera fall."
    ws.append(["genomförandeplaner  AKTUELLA", "2025 T3", 96, None, None])
    out = io.BytesIO()
    wb.save(out)
    assert (
        indicators.import_results(session, REVISOR, two.contract.id, out.getvalue(), "res.xlsx")
        == 3
    )
    results = {(r.period, r.value, r.status) for r in session.exec(select(IndicatorResult)).all()}
    assert results == {
        ("2026 T1", 92.5, IndicatorStatus.delvis),
        ("2026 T1", None, IndicatorStatus.delvis),
        ("2025 T3", 96.0, IndicatorStatus.uppnatt),
    }


def test_every_error_names_the_cell_and_nothing_is_saved(session: Session, two: Place) -> None:
    data = _book(
        [
            ["Resultat per period"],
            HEADER,
            ["Genomförandeplaner aktuella", "2026 T1", "hög", None, None],
            ["Okänd indikator", "2026 T1", 50, None, None],
            ["Genomförandeplaner aktuella", "våren", 90, None, None],
            ["Avvikelser rapporterade och analyserade", "2026 T1", None, "bra", "Text"],
            ["Avvikelser rapporterade och analyserade", "2026 T2", None, "uppnått", ""],
            ["Genomförandeplaner aktuella", "2026 T2", None, None, None],
            ["Genomförandeplaner aktuella", "2026 T3", 90, None, "Svar 19121212-1212"],
            ["Genomförandeplaner aktuella", "2025 T1", 90, None, None],
            ["Genomförandeplaner aktuella", "2025 t1", 91, None, None],
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        indicators.import_results(session, REVISOR, two.contract.id, data, "res.xlsx")
    messages = [e.message for e in caught.value.errors]
    assert str(caught.value).startswith("Filen 'res.xlsx' har 8 fel. Inget har sparats.")
    assert messages == [
        'Blad "Resultat", rad 3, kolumn "Värde": "hög" är inget tal. Skriv t.ex. 78 eller 12,5.',
        'Blad "Resultat", rad 4, kolumn "Indikator": "Okänd indikator" är ingen indikator i '
        'avtalet. Välj en av: "Genomförandeplaner aktuella", "Avvikelser rapporterade och '
        'analyserade".',
        'Blad "Resultat", rad 5, kolumn "Period": \'våren\' går inte att läsa. Skriv perioden '
        "som 2026 T1 (tertial), 2026 K1 (kvartal), 2026 H1 (halvår), 2026 (helår), 2026-03 "
        "(månad) eller som datum, t.ex. 2026-01-01–2026-06-30.",
        'Blad "Resultat", rad 6, kolumn "Status": "bra" är ingen status. Skriv uppnått, delvis '
        "eller ej uppnått.",
        'Blad "Resultat", rad 7, kolumn "Bedömning": skriv periodens bedömning.',
        'Blad "Resultat", rad 8, kolumn "Värde": ange periodens mätvärde.',
        'Blad "Resultat", rad 9, kolumn "Bedömning": texten innehåller något som ser ut som ett '
        "personnummer. Personnummer får inte sparas här; skriv resultatet utan uppgifter om "
        "enskilda.",
        'Blad "Resultat", rad 11, kolumn "Period": Genomförandeplaner aktuella 2025 T1 står '
        "redan på rad 10.",
    ]
    assert session.exec(select(IndicatorResult)).all() == []


def test_a_file_without_the_header_or_not_excel(session: Session, two: Place) -> None:
    with pytest.raises(ValidationFailed, match="hittade ingen rubrikrad med kolumnerna"):
        indicators.import_results(session, REVISOR, two.contract.id, _book([["a", "b"]]), "x.xlsx")
    with pytest.raises(
        ValidationFailed, match=r"^Filen x\.xlsx är en textfil, inte en Excel-fil \(\.xlsx\)"
    ):
        indicators.import_results(session, REVISOR, two.contract.id, b"not excel", "x.xlsx")
    with pytest.raises(ValidationFailed, match="inga resultat under rubrikraden"):
        indicators.import_results(session, REVISOR, two.contract.id, _book([HEADER]), "x.xlsx")


def test_a_reader_cannot_import(session: Session, two: Place) -> None:
    with pytest.raises(PermissionDenied):
        indicators.import_results(session, LASARE, two.contract.id, _book([HEADER]), "x.xlsx")
