"""Step 1 in a real browser: log in, registers with validation, a läsare sees no edit controls."""

import io
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session

from audit_app.db import make_engine
from audit_app.errors import PermissionDenied
from audit_app.models import Contractor
from audit_app.services import registers
from tests.conftest import LASARE
from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import (
    choose,
    click,
    expand,
    fill,
    goto_page,
    login,
    logout,
    multichoose,
    open_tab,
    table_text,
    upload,
)

pytestmark = pytest.mark.e2e


def _requirements_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Krav"
    ws.append(["Avtalspunkt", "Krav", "Typ", "Område"])
    ws.append(
        [
            "3.1",
            "Utföraren ska ha ett ledningssystem enligt SOSFS 2011:9.",
            "SKA",
            "Ledning och kvalitet",
        ]
    )
    ws.append(
        [
            "3.2",
            "Varje brukare ska ha en genomförandeplan inom 14 dagar.",
            "SKA",
            "Individens planering",
        ]
    )
    ws.append(["3.3", "Utföraren bör erbjuda anhörigträffar två gånger per år.", "BÖR", "Resultat"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_revisor_registers_then_lasare_only_reads(page: Any, app_server: AppServer) -> None:
    login(page, app_server, "revisor")
    page.get_by_text("Mina kommande och pågående uppföljningar").wait_for()
    page.get_by_role("heading", name="Entreprenörer").wait_for()
    assert "Planerad" in table_text(page, 0)
    assert "Omsorgshuset Vega AB" in table_text(page, 2)
    shot(page, "01_revisor_start")

    goto_page(page, "Entreprenörer och enheter")
    fill(page, "Namn *", "Ljusglimten Omsorg AB")
    fill(page, "Organisationsnummer *", "556782-3414")
    click(page, "Spara entreprenör")
    page.get_by_text("Organisationsnumret har fel kontrollsiffra").wait_for()
    shot(page, "02_invalid_org_nr")
    assert "Ljusglimten" not in table_text(page, 0)
    fill(page, "Organisationsnummer *", "556677-8899")
    click(page, "Spara entreprenör")
    page.get_by_text("Entreprenören Ljusglimten Omsorg AB är sparad.").wait_for()

    open_tab(page, "Enheter", reruns=False)
    choose(page, "Entreprenör *", "Ljusglimten Omsorg AB")
    fill(page, "Enhetens namn *", "Ljusglimtens äldreboende")
    fill(page, "Avdelningar (en per rad)", "Avd Sol\nAvd Måne")
    click(page, "Spara enhet")
    page.get_by_text("Enheten Ljusglimtens äldreboende är sparad.").wait_for()
    shot(page, "03_unit_saved")

    goto_page(page, "Avtal")
    choose(page, "Välj avtal", "➕ Nytt avtal")
    fill(page, "Diarienummer *", "VOF 2026/77")
    fill(page, "Benämning *", "Drift av Ljusglimtens äldreboende")
    choose(page, "Entreprenör *", "Ljusglimten Omsorg AB")
    multichoose(page, "Enheter som avtalet gäller", "Ljusglimtens äldreboende")
    click(page, "Spara avtal")
    page.get_by_text("Avtalet VOF 2026/77 är sparat.").wait_for()
    # the contract covers a särskilt boende: its requirements can start from that standard list
    click(page, "Utgå från standardlistan för särskilt boende")
    page.get_by_text("40 krav från standardlistan för särskilt boende har lagts till").wait_for()
    page.get_by_text("38 SKA-krav och 2 BÖR-krav.").wait_for()
    assert page.get_by_role("button", name="Utgå från standardlistan för hemtjänst").count() == 0
    shot(page, "04a_contract_from_standard_list")
    expand(page, "Läs in krav från Excel")
    page.get_by_text("Excel-fil med krav").wait_for()
    upload(
        page,
        page.get_by_test_id("stFileUploaderDropzoneInput"),
        [
            {
                "name": "krav.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _requirements_xlsx(),
            }
        ],
    )
    page.get_by_text("3 krav hittades i krav.xlsx.").wait_for()
    click(page, "Ersätt kraven med filens krav")
    page.get_by_text("3 krav är sparade.").wait_for()
    page.get_by_text("2 SKA-krav och 1 BÖR-krav.").wait_for()
    shot(page, "04_contract_with_requirements")

    logout(page)
    login(page, app_server, "lasare")
    shot(page, "05_lasare_start")
    goto_page(page, "Entreprenörer och enheter")
    assert "Ljusglimten Omsorg AB" in table_text(page, 0)
    assert page.get_by_role("button", name="Spara entreprenör").count() == 0
    assert page.get_by_test_id("stTextInput").count() == 0
    goto_page(page, "Avtal")
    assert page.get_by_role("button", name="Spara avtal").count() == 0
    shot(page, "06_lasare_contracts")

    engine = make_engine(app_server.db_url)
    with Session(engine) as session, pytest.raises(PermissionDenied):
        registers.save_contractor(
            session, LASARE, registers.ContractorInput("Läsarens AB", "559104-8276")
        )
    with Session(engine) as session:
        assert session.query(Contractor).filter(Contractor.name == "Läsarens AB").count() == 0
    engine.dispose()
