"""Signaler: lex Sarah, lex Maria, klagomål, synpunkter, IVO-beslut and reports not delivered,
per contractor and unit; counts and categories only. The MAS, the utredningssekreterare and the
revisor record them; everyone reads them."""

import uuid
from datetime import date

import streamlit as st

from audit_app.auth import EDIT_SIGNALS
from audit_app.domain import labels
from audit_app.domain import signals as rules
from audit_app.domain.calendar import add_months
from audit_app.models import InvestigationStatus, SignalKind
from audit_app.services import registers, signals
from audit_app.ui import actor, can, db, plain, rerun_with, show_flash, write
from audit_app.views.widgets import choice, open_page, table

WHOLE = "hela"
"""The unit choice for a signal about the contractor as a whole."""


def show_unit(contractor_id: uuid.UUID, unit_id: uuid.UUID) -> None:
    """Open the page on one unit's signals (from the overview)."""
    st.session_state["signals.unit"] = unit_id
    st.session_state["signals.contractor"] = contractor_id
    st.session_state["signals.unit_choice"] = unit_id
    open_page("signaler")


def render() -> None:
    show_flash()
    st.title("Signaler")
    st.caption(
        "Signaler från andra håll än uppföljningarna: lex Sarah-rapporter, lex Maria-anmälningar, "
        "klagomål och synpunkter, IVO-beslut och rapporter som utföraren inte har lämnat in. De "
        "räknas in i punkt 1 på nästa avtalsuppföljning och i årets kvalitetsberättelse."
    )
    with db() as session:
        contractors = {c.id: c.name for c in registers.list_contractors(session)}
        units = {u.id: u for u in registers.list_units(session)}
    if not contractors:
        st.info("Det finns inga entreprenörer i registret ännu.")
        return
    unit_id = st.session_state.get("signals.unit")
    preset = units[unit_id].contractor_id if unit_id in units else None
    c1, c2 = st.columns(2)
    contractor_id = choice(c1, "Entreprenör", contractors, current=preset, key="signals.contractor")
    own = {u.id: u.name for u in units.values() if u.contractor_id == contractor_id}
    options: list[uuid.UUID | str] = [WHOLE, *own]
    chosen = c2.selectbox(
        "Enhet",
        options,
        index=options.index(unit_id) if unit_id in options else 0,
        format_func=lambda o: "Alla enheter och utföraren" if o == WHOLE else own[o],
        key="signals.unit_choice",
    )
    st.session_state["signals.unit"] = None if chosen == WHOLE else chosen
    chosen_unit = None if chosen == WHOLE else uuid.UUID(str(chosen))
    if can(EDIT_SIGNALS):
        _form(contractor_id, own, chosen_unit)
    _list(contractor_id, chosen_unit)


def _form(contractor_id: uuid.UUID, own: dict[uuid.UUID, str], unit_id: uuid.UUID | None) -> None:
    with st.expander("Registrera signal", expanded=True):
        st.info(rules.NO_PERSONAL_DATA, icon=":material/privacy_tip:")
        kind = choice(st, "Slag *", labels.SIGNAL_KIND_LABELS, key="signals.form.kind")
        kind = kind or SignalKind.lex_sarah
        categories = rules.CATEGORIES[kind]
        with st.form("signals.form", clear_on_submit=True):
            c1, c2, c3 = st.columns([2, 1, 1])
            places: list[uuid.UUID | None] = [None, *own]
            place = c1.selectbox(
                "Gäller",
                places,
                index=places.index(unit_id) if unit_id in places else 0,
                format_func=lambda u: "Utföraren som helhet" if u is None else own[u],
            )
            day = c2.date_input("Datum *", value=date.today(), format="YYYY-MM-DD")
            n = c3.number_input("Antal *", min_value=1, max_value=999, value=1, step=1)
            c4, c5 = st.columns(2)
            category = c4.selectbox(
                "Kategori *", list(categories), format_func=categories.__getitem__
            )
            status = choice(c5, "Utredningens status *", labels.INVESTIGATION_LABELS)
            note = st.text_input(
                "Kort text",
                max_chars=signals.records.NOTE_MAX,
                help="T.ex. 'Anmäld till IVO' eller 'Åtgärdad enligt utredning'. Inga namn "
                "eller personnummer.",
            )
            submitted = st.form_submit_button("Spara signal", type="primary")
        if submitted:
            data = signals.SignalInput(
                contractor_id=contractor_id,
                unit_id=place,
                kind=kind,
                occurred_on=day if isinstance(day, date) else date.today(),
                category=str(category),
                count=int(n),
                status=status or InvestigationStatus.anmald,
                note=note,
            )
            write(
                lambda s: signals.save_signal(s, actor(), data),
                lambda _: rerun_with(f"{labels.SIGNAL_KIND_LABELS[kind]} är registrerad."),
            )


def _list(contractor_id: uuid.UUID, unit_id: uuid.UUID | None) -> None:
    with db() as session:
        rows = signals.list_signals(
            session, actor(), signals.SignalFilter(contractor_id=contractor_id, unit_id=unit_id)
        )
    st.subheader("Registrerade signaler")
    if not rows:
        st.info("Inga signaler är registrerade här.")
        return
    year_ago = add_months(date.today(), -12)
    recent = rules.counts_by_kind(
        (r.signal.kind, r.signal.count) for r in rows if r.signal.occurred_on > year_ago
    )
    st.markdown(f"**Senaste tolv månaderna:** {plain(rules.counts_text(recent) or 'inga')}")
    table(
        (
            {
                "Datum": r.signal.occurred_on,
                "Enhet": r.unit or "Utföraren som helhet",
                "Slag": r.kind,
                "Kategori": r.category,
                "Antal": r.signal.count,
                "Status": r.status,
                "Text": r.signal.note,
            }
            for r in rows
        ),
        column_config={"Datum": st.column_config.DateColumn(format="YYYY-MM-DD")},
        key="signals.table",
    )
    if can(EDIT_SIGNALS):
        _status_change(rows)


def _status_change(rows: list[signals.SignalRow]) -> None:
    open_rows = {
        r.signal.id: r for r in rows if r.signal.status is not InvestigationStatus.avslutad
    }
    if not open_rows:
        return
    with st.expander("Ändra utredningens status"):
        with st.form("signals.status"):
            chosen = st.selectbox(
                "Signal",
                list(open_rows),
                format_func=lambda i: (
                    f"{open_rows[i].signal.occurred_on} · {open_rows[i].kind} · "
                    f"{open_rows[i].category} · {open_rows[i].unit or 'utföraren'} "
                    f"({open_rows[i].status.lower()})"
                ),
            )
            status = choice(
                st,
                "Ny status",
                labels.INVESTIGATION_LABELS,
                current=InvestigationStatus.avslutad,
            )
            submitted = st.form_submit_button("Spara status")
        if submitted and chosen is not None:
            s = open_rows[chosen].signal
            data = signals.SignalInput.of(s, status=status)
            write(
                lambda session: signals.save_signal(session, actor(), data, s.id),
                lambda _: rerun_with("Statusen är sparad."),
            )
