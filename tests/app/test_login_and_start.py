"""The log-in page, the start page of each role, and the registers as a person sees them."""

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.harness import shown

APP = str(Path(__file__).resolve().parents[2] / "audit_app" / "app.py")


def _texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [t.value for t in at.title]
        + [s.value for s in at.subheader]
    )
    parts += (
        [i.value for i in at.info] + [e.value for e in at.error] + [c.value for c in at.caption]
    )
    return shown("\n".join(str(p) for p in parts))


def _frames(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def test_login_page_refuses_a_wrong_password_then_logs_in(app_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert "Revisionsstöd" in _texts(at)
    at.text_input(key="login.username").input("revisor")
    at.text_input(key="login.password").input("fel")
    at.button[0].click().run()
    assert "Fel användarnamn eller lösenord." in _texts(at)
    at.text_input(key="login.password").input("demo")
    at.button[0].click().run()
    assert not at.exception
    assert "Välkommen, Karin Ek" in _texts(at)
    frames = _frames(at)
    assert "Omsorgshuset Vega AB" in frames and "Trygga Händer Vård AB" in frames
    assert "Planerad" in frames  # the follow-up planned for next week
    assert any(b.label == "Logga ut" for b in at.button)


def test_chef_start_page_shows_every_contractor_status(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.start", "chef")
    frames = _frames(at)
    for name in ("Omsorgshuset Vega AB", "Trygga Händer Vård AB", "Stiftelsen Klövern Omsorg"):
        assert name in frames
    assert "Öppna avvikelser" in frames
    assert "Väntar på justering" in _texts(at)


def test_reader_start_page_lists_only_justerade(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.start", "lasare")
    frame = at.dataframe[0].value
    assert len(frame) > 5
    assert set(frame["Status"]) == {"Justerad"}


def test_reader_sees_registers_without_edit_controls(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.contractors", "lasare")
    assert "Omsorgshuset Vega AB" in _frames(at)
    assert len(at.text_input) == 0
    assert not [b for b in at.button if "Spara" in b.label or "Arkivera" in b.label]
    at = view("audit_app.views.contracts", "lasare")
    assert "VOF 2024/118" in _frames(at)
    assert len(at.text_input) == 0
    assert not [b for b in at.button if "Spara" in b.label]


def test_revisor_creates_a_contractor_and_sees_errors_first(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.contractors", "revisor")
    at.text_input[0].input("Nya Omsorgen AB")
    at.text_input[1].input("556782-3414")
    at.button(key="FormSubmitter:contractors.form.__new__-Spara entreprenör").click().run()
    assert "Organisationsnummer: Organisationsnumret har fel kontrollsiffra" in _texts(at)
    assert "Nya Omsorgen AB" not in _frames(at)
    at.text_input[1].input("559012-3450")
    at.button(key="FormSubmitter:contractors.form.__new__-Spara entreprenör").click().run()
    assert not at.exception
    assert "Nya Omsorgen AB" in _frames(at)
