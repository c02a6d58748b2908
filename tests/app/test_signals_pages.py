"""Signaler and Sanktioner as people use them (demo data): the MAS records a signal, a reader
only reads, a personnummer is refused; the förvaltningschef records a vite on an avvikelse; the
overview's unit shows both."""

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from audit_app.models import SanctionKind, SignalKind


def _texts(at: AppTest) -> str:
    """Every text on the page as people read it (markdown escapes removed)."""
    return " ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [s.value for s in at.success]
        + [e.value for e in at.error]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
    ).replace("\\", "")


def _choose_unit(at: AppTest, contractor: str, unit: str) -> None:
    box = at.selectbox(key="signals.contractor")
    box.select(next(o for o in box.options if contractor in o)).run()
    at.selectbox(key="signals.unit_choice").select(
        next(o for o in at.selectbox(key="signals.unit_choice").options if o == unit)
    ).run()


def test_the_mas_records_a_lex_maria_signal_for_a_unit(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.signals", "mas")
    assert "Skriv inga namn, personnummer" in _texts(at)
    _choose_unit(at, "Vega", "Solgården")
    before = len(at.dataframe[0].value)
    at.selectbox(key="signals.form.kind").set_value(SignalKind.lex_maria).run()
    category = next(s for s in at.selectbox if s.label == "Kategori *")
    category.set_value("lakemedel")
    next(n for n in at.number_input if n.label == "Antal *").set_value(2)
    next(t for t in at.text_input if t.label == "Kort text").input("Anmäld till IVO av MAS.")
    next(b for b in at.button if b.label == "Spara signal").click().run()
    assert not at.exception
    assert "Lex Maria är registrerad." in _texts(at)
    frame = at.dataframe[0].value
    assert len(frame) == before + 1
    row = frame[frame["Kategori"] == "Läkemedelshantering"].iloc[0]
    assert (row["Slag"], row["Antal"], row["Enhet"]) == ("Lex Maria", 2, "Solgården")


def test_a_personnummer_in_the_text_is_refused(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.signals", "revisor")
    before = len(at.dataframe[0].value)
    next(t for t in at.text_input if t.label == "Kort text").input("Gäller 19121212-1212")
    next(b for b in at.button if b.label == "Spara signal").click().run()
    assert "personnummer" in " ".join(e.value for e in at.error)
    assert len(at.dataframe[0].value) == before


def test_a_reader_reads_signals_and_sanctions_but_records_nothing(
    view: Callable[..., AppTest],
) -> None:
    at = view("audit_app.views.signals", "lasare")
    assert not [b for b in at.button if b.label == "Spara signal"]
    assert len(at.dataframe[0].value) > 0
    at = view("audit_app.views.sanctions", "lasare")
    assert not [b for b in at.button if b.label == "Registrera sanktion"]
    assert "Registrera sanktion på en avvikelse" not in [h.value for h in at.subheader]


def test_the_chef_records_a_vite_on_an_avvikelse(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.sanctions", "chef")
    box = at.selectbox(key="sanctions.contract")
    box.select(next(o for o in box.options if "Vega" in o)).run()
    assert "LOU (upphandlat avtal)" in _texts(at)
    findings = next(m for m in at.multiselect if m.label.startswith("Avvikelser som"))
    findings.select(findings.options[0]).run()
    next(s for s in at.selectbox if s.label == "Sanktion *").set_value(SanctionKind.vite)
    clause = next(s for s in at.selectbox if s.label.startswith("Avtalspunkt"))
    assert clause.value is not None  # the avvikelse's own clause of the contract, chosen
    next(n for n in at.number_input if n.label == "Belopp (kr)").set_value(30000)
    next(b for b in at.button if b.label == "Registrera sanktion").click().run()
    assert not at.exception
    assert "Vite är registrerad." in _texts(at), _texts(at)
    # the choice starts over: empty, or the one avvikelse the ladder proposes a sanction on
    after = next(m for m in at.multiselect if m.label.startswith("Avvikelser som"))
    if after.indices:
        assert [after.options[i].endswith("sanktion föreslås") for i in after.indices] == [True]
    else:
        assert "Välj en eller flera avvikelser" in _texts(at)
    frame = at.dataframe[0].value
    assert "Vite" in set(frame["Sanktion"])
    assert "30\u00a0000 kr" in set(frame["Belopp"])


def test_the_overview_unit_shows_its_signals_and_sanctions(view: Callable[..., AppTest]) -> None:
    at = view("audit_app.views.overview", "chef")
    box = at.selectbox(key="overview.unit")
    box.select(next(o for o in box.options if o.startswith("Ekbacken"))).run()
    assert not at.exception
    text = _texts(at)
    assert "Senaste tolv månaderna:" in text
    assert "Vite 25\u00a0000 kr beslutat" in text
    assert any(b.label == "Visa signaler" for b in at.button)
