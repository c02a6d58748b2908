"""The overview, the action register and the planning page as people use them (demo data)."""

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from audit_app.models import StatusLevel


def _table(at: AppTest) -> str:
    (html,) = at.get("html")
    return str(html.proto.body)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_chef_filters_the_overview_by_contractor_and_status(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.overview", "chef")
    table = _table(at)
    for unit in ("Solgården", "Björkhagen", "Ekbacken", "Gruppbostaden Klövervägen"):
        assert unit in table
    assert _metrics(at)["Enheter"] == "6"
    assert "Ingen uppföljning av ledningssystem" in table
    vega = next(o for o in at.multiselect(key="overview.f.contractors").options if "Vega" in o)
    at.multiselect(key="overview.f.contractors").select(vega).run()
    table = _table(at)
    assert "Solgården" in table and "Ekbacken" not in table
    assert _metrics(at)["Enheter"] == "3"
    at.multiselect(key="overview.f.status").select(StatusLevel.gron).run()
    assert not at.exception
    assert "Inga enheter matchar filtret." in [i.value for i in at.info]


def test_chef_opens_a_unit_and_sees_its_followups_and_trend(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.overview", "chef")
    box = at.selectbox(key="overview.unit")
    solgarden = next(o for o in box.options if o.startswith("Solgården"))
    box.select(solgarden).run()
    assert not at.exception
    labels = [b.label for b in at.button]
    assert any(label.startswith("Öppna senaste: Avtal") for label in labels)
    assert at.dataframe[0].value["Enhet"].str.contains("Solgården").all()
    assert at.get("vega_lite_chart")


def test_a_reader_is_told_the_figures_are_from_justerade_followups(
    view: Callable[..., AppTest],
) -> None:
    at = view("audit_app.views.overview", "lasare")
    assert "Siffrorna bygger på justerade uppföljningar." in [c.value for c in at.caption]
    assert "Solgården" in _table(at)


def test_the_action_register_filters_and_counts(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.actions", "chef")
    total = int(_metrics(at)["Åtgärder"])
    overdue = int(_metrics(at)["Försenade"])
    assert total > overdue > 0
    assert len(at.dataframe[0].value) == total
    at.toggle(key="actions.f.overdue").set_value(True).run()
    assert int(_metrics(at)["Åtgärder"]) == overdue
    assert set(at.dataframe[0].value["Försenad"]) == {"⚠️"}
    assert any(b.label == "Exportera till Excel" for b in at.get("download_button"))


def test_the_revisor_sees_proposals_and_adds_a_committee_meeting(
    view: Callable[..., AppTest],
) -> None:
    at = view("audit_app.views.planning", "revisor")
    proposals = at.dataframe[0].value
    assert "Uppföljning av ledningssystem" in set(proposals["Uppföljning"])
    assert not proposals["Planera"].any()
    assert any(b.label == "Ladda ned kalenderfil (.ics)" for b in at.get("download_button"))
    year = at.selectbox(key="planning.year").value
    at.date_input[0].set_value(f"{year}-11-12")
    at.text_input[0].input("§ 40")
    at.button(key="FormSubmitter:planning.meeting-Lägg till sammanträde").click().run()
    assert not at.exception
    assert any("§ 40" in m.value for m in at.markdown)
