"""The Indikatorer page on the demo: a revisor enters a period's result and adds an example; a
reader reads the charts and the judgements but has nothing to write with."""

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import Contract, Indicator
from tests.app.harness import shown


def _ids(db_url: str, dnr: str) -> tuple[str, dict[str, str]]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        contract = s.exec(select(Contract).where(Contract.dnr == dnr)).one()
        names = {
            i.name: str(i.id)
            for i in s.exec(select(Indicator).where(Indicator.contract_id == contract.id))
        }
    engine.dispose()
    return str(contract.id), names


def _texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.success, *at.error])


def test_revisor_enters_a_result_and_sees_it_judged(
    view: Callable[..., AppTest], app_db: str
) -> None:
    contract_id, names = _ids(app_db, "VOF 2024/118")
    at = view("audit_app.views.indicators", "revisor")
    at.selectbox(key="indicators.contract").set_value(contract_id).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Indikatorer"] == "5"
    assert len(at.get("vega_lite_chart")) == 5  # four measured indicators and one timeline
    assert "Brukarundersökning – helhetsbedömning" in [h.value for h in at.subheader]
    bruk = names["Brukarundersökning – helhetsbedömning"]
    year = str(date.today().year)
    at.text_input(key=f"indicators.result.{bruk}.period").set_value(year)
    at.number_input(key=f"indicators.result.{bruk}.value").set_value(72)
    submit = next(b for b in at.button if b.label == "Spara resultat")
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert (
        f"Resultatet för Brukarundersökning – helhetsbedömning {year} är sparat: ej uppnått."
        in [shown(s.value) for s in at.success]
    )
    assert f"Senaste resultat **{year}**: 72\u00a0% – :red[Ej uppnått]" in _texts(at)


def test_a_wrong_period_is_refused_in_swedish(view: Callable[..., AppTest], app_db: str) -> None:
    contract_id, names = _ids(app_db, "VOF 2024/118")
    at = view("audit_app.views.indicators", "revisor")
    at.selectbox(key="indicators.contract").set_value(contract_id).run()
    bruk = names["Brukarundersökning – helhetsbedömning"]
    at.text_input(key=f"indicators.result.{bruk}.period").set_value("i våras")
    next(b for b in at.button if b.label == "Spara resultat").click().run()
    assert any("går inte att läsa" in shown(e.value) for e in at.error)
    assert any("Värde: ange periodens mätvärde" in shown(e.value) for e in at.error)


def test_revisor_adds_an_example(view: Callable[..., AppTest], app_db: str) -> None:
    contract_id, names = _ids(app_db, "VOF 2024/118")
    at = view("audit_app.views.indicators", "revisor")
    at.selectbox(key="indicators.contract").set_value(contract_id).run()
    box = at.selectbox(key=f"indicators.example.{contract_id}")
    box.set_value("fast_omsorgskontakt").run()
    at.button(key=f"indicators.add_example.{contract_id}").click().run()
    assert not at.exception
    assert "Indikatorn Fast omsorgskontakt utsedd är tillagd. Ändra den gärna för avtalet." in [
        shown(s.value) for s in at.success
    ]
    assert {m.label: m.value for m in at.metric}["Indikatorer"] == str(len(names) + 1)
    # The LSS home has every example that suits it (none is for home care).
    lss_id, _ = _ids(app_db, "VOF 2025/031")
    at.selectbox(key="indicators.contract").set_value(lss_id).run()
    assert "Alla exempel som passar avtalets enheter är redan tillagda." in [
        c.value for c in at.caption
    ]


def test_a_reader_reads_without_forms(view: Callable[..., AppTest], app_db: str) -> None:
    contract_id, _names = _ids(app_db, "VOF 2023/245")
    at = view("audit_app.views.indicators", "lasare")
    at.selectbox(key="indicators.contract").set_value(contract_id).run()
    assert not at.exception
    assert "Du kan läsa indikatorerna och deras resultat men inte ändra dem." in [
        c.value for c in at.caption
    ]
    assert not [b for b in at.button if b.label in ("Spara resultat", "Lägg till exemplet")]
    assert not at.text_input and not at.number_input
    assert at.get("vega_lite_chart")
    assert at.dataframe  # the results and judgements, period by period
