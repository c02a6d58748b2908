"""Pieces several pages show: follow-up tables and the jump to one follow-up."""

import uuid

import pandas as pd
import streamlit as st

from audit_app.domain import labels
from audit_app.models import FollowUp


def followup_label(f: FollowUp, names: dict[uuid.UUID, list[str]]) -> str:
    units = ", ".join(names.get(f.id, [])) or "–"
    return f"{f.planned_date.isoformat()} · {labels.KIND_LABELS[f.kind]} · {units} · {labels.STATUS_LABELS[f.status]}"


def followup_table(
    followups: list[FollowUp],
    names: dict[uuid.UUID, list[str]],
    contractors: dict[uuid.UUID, list[str]],
    key: str,
) -> None:
    """The follow-ups in a table; `names` and `contractors` are their units' and contractors'
    names by follow-up (`followups.unit_names`, `followups.contractor_names`)."""
    rows = [
        {
            "Datum": f.planned_date,
            "Tid": f.planned_time,
            "Typ": labels.KIND_LABELS[f.kind],
            "Entreprenör": ", ".join(contractors.get(f.id, [])) or "–",
            "Enhet": ", ".join(names.get(f.id, [])),
            "Status": labels.STATUS_LABELS[f.status],
            "Version": f.doc_version,
        }
        for f in followups
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={"Datum": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )


def open_to_followup(
    followups: list[FollowUp], names: dict[uuid.UUID, list[str]], key: str
) -> None:
    """A select box and a button that open one follow-up on the Uppföljningar page."""
    if not followups:
        return
    options = {f.id: followup_label(f, names) for f in followups}
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Öppna uppföljning", list(options), format_func=options.__getitem__, key=key
    )
    if c2.button("Öppna", key=f"{key}.go"):
        go_to_followup(chosen)


def go_to_followup(followup_id: uuid.UUID) -> None:
    """Open one follow-up on the Uppföljningar page."""
    st.session_state["followups.selected"] = followup_id
    pages = st.session_state.get("nav.pages", {})
    if "uppfoljningar" in pages:
        st.switch_page(pages["uppfoljningar"])
