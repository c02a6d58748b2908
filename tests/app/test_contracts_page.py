"""The Avtal page in AppTest: start a contract's requirements from a standard list, edit the
guidance and unit kinds, and a clause twice refused in Swedish; a reader only reads."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import Contract, UnitKind
from audit_app.services import registers
from tests.app.harness import shown
from tests.conftest import REVISOR

PAGE = "audit_app.views.contracts"
SABO_LIST = "ska_krav_sarskilt_boende"


@pytest.fixture
def contract(app_db: str) -> uuid.UUID:
    """A new contract for one särskilt boende, with no requirements yet."""
    engine = make_engine(app_db)
    with Session(engine) as s:
        contractor = registers.save_contractor(
            s, REVISOR, registers.ContractorInput("Ljusglimten Omsorg AB", "556677-8899")
        )
        unit = registers.save_unit(
            s,
            REVISOR,
            registers.UnitInput(
                contractor.id, "Ljusglimtens äldreboende", UnitKind.sarskilt_boende, 30
            ),
        )
        saved = registers.save_contract(
            s,
            REVISOR,
            registers.ContractInput(
                dnr="VOF 2026/77",
                title="Drift av Ljusglimtens äldreboende",
                contractor_id=contractor.id,
                valid_from=date(2026, 1, 1),
                valid_to=date(2029, 12, 31),
                unit_ids=[unit.id],
            ),
        )
        s.commit()
        contract_id = saved.id
    engine.dispose()
    return contract_id


def _stored(app_db: str, contract_id: uuid.UUID) -> tuple[int, list[Any]]:
    engine = make_engine(app_db)
    with Session(engine) as s:
        found = s.get(Contract, contract_id)
        assert found is not None
        out = (found.version, registers.list_requirements(s, contract_id))
    engine.dispose()
    return out


def _open(view: Callable[..., AppTest], contract_id: uuid.UUID, user: str = "revisor") -> AppTest:
    at: AppTest = view(PAGE, user)
    at.selectbox(key="contracts.chosen").set_value(str(contract_id)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editor(at: AppTest) -> Any:
    editors = [d for d in at.dataframe if d.editing_mode != "read_only"]
    assert len(editors) == 1
    return editors[0]


def _standard_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("Utgå från standardlistan")]


def _save_with(at: AppTest, contract_id: uuid.UUID, edits: dict[str, Any]) -> AppTest:
    """Seed the editor's edit state as a person's typing would, then press Spara kraven."""
    state = at.session_state
    round_ = state.get("contracts.editor_round", 0)
    state[f"contracts.requirements.{contract_id}.{round_}"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edits,
    }
    at.button(key=f"contracts.save_requirements.{contract_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_contract_starts_from_the_standard_list_that_fits_its_units(
    view: Callable[..., AppTest], app_db: str, contract: uuid.UUID
) -> None:
    at = _open(view, contract)
    # the contract covers a särskilt boende: only that list is offered
    assert _standard_buttons(at) == ["Utgå från standardlistan för särskilt boende"]
    assert "0 SKA-krav och 0 BÖR-krav." in [shown(c.value) for c in at.caption]

    at.button(key=f"contracts.standard.{contract}.{SABO_LIST}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [shown(s.value) for s in at.success] == [
        "40 krav från standardlistan för särskilt boende har lagts till i avtalet VOF 2026/77. "
        "De är nu avtalets egna krav: ändra dem här så att de stämmer med avtalets text."
    ]
    assert "38 SKA-krav och 2 BÖR-krav." in [shown(c.value) for c in at.caption]
    table = _editor(at).value
    assert list(table.columns)[1:] == [
        "Avtalspunkt",
        "Krav",
        "Typ",
        "Område",
        "Vägledning",
        "Gäller för",
    ]
    first = table.iloc[0]
    assert first["Avtalspunkt"] == "4.1.1" and first["Område"] == "Ledning och kvalitet"
    assert first["Vägledning"].startswith("Begär ledningssystemets innehållsförteckning")
    assert list(first["Gäller för"]) == ["sarskilt_boende"]
    _version, stored = _stored(app_db, contract)
    assert len(stored) == 40 and all(r.hint and r.applies_to == ["sarskilt_boende"] for r in stored)

    # pressed again: nothing is added twice
    at.button(key=f"contracts.standard.{contract}.{SABO_LIST}").click().run()
    assert [shown(s.value) for s in at.success] == [
        "Inga krav lades till: avtalet VOF 2026/77 har redan varje avtalspunkt i standardlistan "
        "för särskilt boende."
    ]
    assert len(_stored(app_db, contract)[1]) == 40


def test_the_editor_saves_guidance_and_unit_kinds_and_refuses_a_clause_twice(
    view: Callable[..., AppTest], app_db: str, contract: uuid.UUID
) -> None:
    at = _open(view, contract)
    at.button(key=f"contracts.standard.{contract}.{SABO_LIST}").click().run()
    version_before, _ = _stored(app_db, contract)

    _save_with(
        at,
        contract,
        {
            "edited_rows": {
                0: {
                    "Krav": "Utföraren ska ha ett ledningssystem enligt SOSFS 2011:9.",
                    "Vägledning": "Begär processkartan.",
                    "Gäller för": ["sarskilt_boende", "hemtjanst"],
                }
            }
        },
    )
    assert [shown(s.value) for s in at.success] == ["40 krav är sparade."]
    version, stored = _stored(app_db, contract)
    first = stored[0]
    assert first.text == "Utföraren ska ha ett ledningssystem enligt SOSFS 2011:9."
    assert first.hint == "Begär processkartan."
    assert first.applies_to == ["sarskilt_boende", "hemtjanst"]
    assert version == version_before  # saving requirements does not write the contract
    # the editor shows what was stored
    assert _editor(at).value.iloc[0]["Vägledning"] == "Begär processkartan."

    _save_with(
        at,
        contract,
        {"added_rows": [{"Avtalspunkt": "4.1.1", "Krav": "Ett krav till.", "Typ": "SKA"}]},
    )
    assert [shown(e.value) for e in at.error] == [
        'Rad 41, kolumn "Avtalspunkt": 4.1.1 står redan på rad 1.'
    ]
    assert len(_stored(app_db, contract)[1]) == 40


def test_a_reader_sees_guidance_and_unit_kinds_but_no_edit_controls(
    view: Callable[..., AppTest], app_db: str, contract: uuid.UUID
) -> None:
    engine = make_engine(app_db)
    with Session(engine) as s:
        registers.copy_standard_requirements(s, REVISOR, contract, SABO_LIST)
        s.commit()
    engine.dispose()
    at = _open(view, contract, "lasare")
    assert not _standard_buttons(at)
    assert not [d for d in at.dataframe if d.editing_mode != "read_only"]
    assert not [b for b in at.button if b.label == "Spara kraven"]
    table = at.dataframe[-1].value
    assert list(table.columns) == [
        "Avtalspunkt",
        "Krav",
        "Typ",
        "Område",
        "Vägledning",
        "Gäller för",
    ]
    assert set(table["Gäller för"]) == {"Särskilt boende"}
