"""Pieces several pages show: follow-up tables, the jump to one follow-up, action columns."""

import uuid

import streamlit as st

from audit_app.domain import labels
from audit_app.models import FollowUp
from audit_app.services import followups as followups_service
from audit_app.services import overview
from audit_app.views.widgets import open_page, table


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
    table(
        (
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
        ),
        key=key,
        column_config={"Datum": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )


def followup_list(listed: followups_service.NamedFollowUps, keys: tuple[str, str]) -> None:
    """The follow-ups in a table (key `keys[0]`) and the jump to one of them (`keys[1]`), with
    their units' and contractors' names (read by the caller with `followups.with_names`)."""
    followup_table(listed.followups, listed.units, listed.contractors, key=keys[0])
    open_to_followup(listed.followups, listed.units, key=keys[1])


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
    open_page("uppfoljningar")


def action_columns(row: overview.ActionRow, overdue: str) -> dict[str, object]:
    """An action's own columns in a table of actions: `overdue` when it is late, the date it is
    due, what, who and its status."""
    return {
        "Försenad": overdue if row.overdue else "",
        "Klart senast": row.due_date,
        "Åtgärd": row.what,
        "Ansvarig": row.responsible,
        "Status": labels.ACTION_STATUS_LABELS[row.status],
    }
