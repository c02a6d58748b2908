"""Sanktioner: the contract's sanctions ladder. Proposals where an återuppföljning found an
avvikelse still open, the sanctions decided, and recording one on an avvikelse with its basis,
the contract clause that allows it, amount, decision date and decision-maker (a role or body)."""

import uuid
from datetime import date
from typing import NoReturn

import streamlit as st

from audit_app.auth import RECORD_SANCTIONS
from audit_app.domain import labels
from audit_app.domain import sanctions as ladder
from audit_app.domain.svtext import sv_date
from audit_app.models import Sanction, SanctionKind
from audit_app.services import registers, sanctions
from audit_app.ui import actor, can, db, plain, rerun_with, show_flash, write
from audit_app.views.widgets import choice, open_page, table


def _findings_key(contract_id: uuid.UUID) -> str:
    """The avvikelse choice's key; a new round after each recorded sanction starts it empty."""
    return f"sanctions.findings.{contract_id}.{st.session_state.get('sanctions.round', 0)}"


def show_contract(contract_id: uuid.UUID, finding_id: uuid.UUID | None = None) -> None:
    """Open the page on one contract (from the overview), with an avvikelse chosen."""
    st.session_state["sanctions.contract"] = contract_id
    if finding_id is not None:
        st.session_state[_findings_key(contract_id)] = [finding_id]
    open_page("sanktioner")


def render() -> None:
    show_flash()
    st.title("Sanktioner")
    st.caption(
        "Avtalets sanktionstrappa: påpekande, sedan vite eller prisavdrag, sedan hävning (LOU) "
        "eller återkallat godkännande (LOV). Varje sanktion vilar på dokumenterade avvikelser som "
        "kvarstod vid en återuppföljning och på en punkt i avtalet."
    )
    with db() as session:
        contracts = {c.id: c for c in registers.list_contracts(session)}
        contractors = {
            c.id: c.name for c in registers.list_contractors(session, include_archived=True)
        }
    if not contracts:
        st.info("Det finns inga avtal i registret ännu.")
        return
    _from_address()
    ids = list(contracts)
    contract_id = st.selectbox(
        "Avtal",
        ids,
        format_func=lambda c: (
            f"{contracts[c].dnr} – {contracts[c].title} "
            f"({contractors.get(contracts[c].contractor_id, '')})"
        ),
        key="sanctions.contract",
    )
    if contract_id is None:
        return
    contract = contracts[contract_id]
    steps = " → ".join(
        labels.SANCTION_LABELS[k].lower() for k in ladder.allowed_kinds(contract.procurement_form)
    )
    st.markdown(
        f"**{labels.PROCUREMENT_LABELS[contract.procurement_form]}** · trappan: {plain(steps)}"
    )
    with db() as session:
        proposals = sanctions.sanction_proposals(session, actor(), contract_id)
        decided = sanctions.list_sanctions(session, actor(), contract_id)
    for p in proposals:
        st.warning(plain(p.text), icon=":material/gavel:")
    _decided(decided)
    if can(RECORD_SANCTIONS):
        _record(contract_id, proposals)


def _from_address() -> None:
    """Opened from an avvikelse (?avvikelse=<id>): its contract and the avvikelse chosen."""
    wanted = st.query_params.get("avvikelse")
    if not wanted:
        return
    del st.query_params["avvikelse"]
    try:
        finding_id = uuid.UUID(str(wanted))
    except ValueError:
        return
    with db() as session:
        contract_id = sanctions.contract_of_finding(session, actor(), finding_id)
    if contract_id is None:
        st.info("Avvikelsen hör inte till något avtal, så den kan inte grunda en sanktion.")
        return
    st.session_state["sanctions.contract"] = contract_id
    st.session_state[_findings_key(contract_id)] = [finding_id]


def _decided(rows: list[sanctions.SanctionRow]) -> None:
    st.subheader("Beslutade sanktioner")
    if not rows:
        st.info("Inga sanktioner är beslutade på avtalet.")
        return
    table(
        (
            {
                "Beslutad": r.sanction.decided_on,
                "Sanktion": r.kind,
                "Belopp": r.amount,
                "Beslutsfattare": r.sanction.decided_by,
                "Enhet": r.unit or "Hela avtalet",
                "Avtalspunkt": r.clause,
                "Grund": "; ".join(r.basis),
                "Återuppföljning": ", ".join(r.rechecks),
            }
            for r in rows
        ),
        column_config={
            "Beslutad": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
            "Sanktion": st.column_config.TextColumn(width="small"),
            "Belopp": st.column_config.TextColumn(width="small"),
            "Avtalspunkt": st.column_config.TextColumn(width="medium"),
        },
        key="sanctions.table",
    )


def _record(contract_id: uuid.UUID, proposals: list[sanctions.ProposalRow]) -> None:
    st.subheader("Registrera sanktion på en avvikelse")
    with db() as session:
        deviations = sanctions.contract_deviations(session, actor(), contract_id)
        requirements = registers.list_requirements(session, contract_id)
        contract = registers.get_contract(session, contract_id)
    if not deviations:
        st.info("Avtalet har inga bekräftade avvikelser att grunda en sanktion på.")
        return
    proposed = {p.finding.id: p for p in proposals}
    choices = {x.id: (x, f, units) for x, f, units in deviations}

    def describe(finding_id: uuid.UUID) -> str:
        x, f, units = choices[finding_id]
        flag = " · sanktion föreslås" if finding_id in proposed else ""
        status = labels.FINDING_STATUS_LABELS[x.status].lower()
        return (
            f"{sv_date(f.planned_date)} · {units} · {x.clause + ' ' if x.clause else ''}"
            f"{x.title} ({status}){flag}"
        )

    chosen = st.multiselect(
        "Avvikelser som sanktionen vilar på *",
        list(choices),
        default=[i for i in choices if i in proposed][:1],
        format_func=describe,
        placeholder="Välj avvikelse",
        key=_findings_key(contract_id),
    )
    if not chosen:
        st.caption("Välj en eller flera avvikelser för att registrera en sanktion.")
        return
    first = choices[chosen[0]][0]
    kinds = ladder.allowed_kinds(contract.procurement_form)
    suggestion = proposed[first.id].kinds[0] if first.id in proposed else SanctionKind.papekande
    req_ids = [r.id for r in requirements]
    matching = next((r.id for r in requirements if first.clause and r.clause == first.clause), None)
    with st.form(f"sanctions.form.{contract_id}"):
        c1, c2 = st.columns([1, 2])
        kind = choice(
            c1,
            "Sanktion *",
            {k: labels.SANCTION_LABELS[k] for k in kinds},
            current=suggestion,
        )
        requirement_id = c2.selectbox(
            "Avtalspunkt som ger rätt till sanktionen *",
            req_ids,
            index=req_ids.index(matching) if matching in req_ids else None,
            format_func=lambda i: next(
                f"{r.clause} {r.text}"[:120] for r in requirements if r.id == i
            ),
            placeholder="Välj avtalspunkt",
        )
        c3, c4, c5 = st.columns(3)
        amount = c3.number_input(
            "Belopp (kr)",
            min_value=0,
            value=0,
            step=1000,
            help="Bara för vite och prisavdrag.",
        )
        decided_on = c4.date_input("Beslutsdatum *", value=date.today(), format="YYYY-MM-DD")
        decided_by = c5.selectbox(
            "Beslutsfattare (roll eller organ) *",
            list(sanctions.DECIDED_BY),
            accept_new_options=True,
            help="Skriv roll eller organ, aldrig en persons namn.",
        )
        note = st.text_area("Motivering", max_chars=500, height=80)
        submitted = st.form_submit_button("Registrera sanktion", type="primary")
    if submitted:
        data = sanctions.SanctionInput(
            contract_id=contract_id,
            kind=kind or SanctionKind.papekande,
            requirement_id=requirement_id,
            decided_on=decided_on if isinstance(decided_on, date) else date.today(),
            decided_by=str(decided_by or ""),
            finding_ids=list(chosen),
            amount_kr=int(amount) or None,
            note=note,
        )
        write(lambda s: sanctions.record_sanction(s, actor(), data), _recorded)


def _recorded(sanction: Sanction) -> NoReturn:
    st.session_state["sanctions.round"] = st.session_state.get("sanctions.round", 0) + 1
    rerun_with(f"{labels.SANCTION_LABELS[sanction.kind]} är registrerad.")
