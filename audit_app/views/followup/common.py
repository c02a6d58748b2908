"""What the follow-up page's parts share: widget keys, running a service, icons and badges."""

import secrets
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from audit_app.errors import Conflict, UserError
from audit_app.models import ItemKind, Result
from audit_app.ui import actor, db, show_error

RESULTS = [Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt, Result.ej_aktuellt]
KIND_BADGE = {
    ItemKind.ska_krav: ":red-badge[SKA-krav]",
    ItemKind.bor_krav: ":orange-badge[BÖR-krav]",
    ItemKind.fraga: "",
}
RESULT_ICON = {
    Result.uppfyllt: "🟢",
    Result.delvis_uppfyllt: "🟡",
    Result.ej_uppfyllt: "🔴",
    Result.ej_aktuellt: "⚪",
    Result.ej_bedomd: "◻️",
}
RESPONSIBLE_ROLES = [
    "Verksamhetschef",
    "Enhetschef",
    "Regionchef",
    "Sjuksköterska",
    "Kvalitetsansvarig",
]


PAGE_RUN = "followup.page_run"


def new_page_run() -> None:
    """Mark the start of a full run of the page (fragments compare against it)."""
    st.session_state[PAGE_RUN] = secrets.token_hex(4)


def rerun_alone(drawn_key: str) -> bool:
    """True when this fragment reruns on its own (after its first draw in this page run): it
    must then read its data again instead of using what the page passed it."""
    run_id = st.session_state.get(PAGE_RUN)
    if st.session_state.get(drawn_key) == run_id:
        return True
    st.session_state[drawn_key] = run_id
    return False


def fragment_rerun(drawn_key: str) -> bool:
    """`rerun_alone` for a fragment that holds other fragments: when it reruns on its own, what
    it draws counts as a new page run, so the fragments inside draw from what it passes them."""
    alone = rerun_alone(drawn_key)
    if alone:
        new_page_run()
        st.session_state[drawn_key] = st.session_state[PAGE_RUN]
    return alone


def ns(followup_id: uuid.UUID, *parts: object) -> str:
    """A session-state key of this follow-up's page."""
    return "fu." + str(followup_id)[:8] + "." + ".".join(str(p) for p in parts)


def run(
    service: Callable[..., Any],
    *args: Any,
    error_key: str | None = None,
    ok: str | None = None,
    widget: str | None = None,
    **kwargs: Any,
) -> bool:
    """Call `service(session, actor, *args)` in its own unit of work.

    A Swedish error is shown at once, or kept under `error_key` for the next render (callbacks).
    When someone else saved first (Conflict), the `widget` is drawn again from what is stored;
    after any other error it keeps what the person typed, to correct it.
    """
    try:
        with db() as session:
            service(session, actor(), *args, **kwargs)
    except UserError as exc:
        if error_key:
            st.session_state[error_key] = exc.message
        else:
            show_error(exc)
        if widget and isinstance(exc, Conflict):
            st.session_state.pop(widget, None)
        return False
    if error_key:
        st.session_state.pop(error_key, None)
    if ok:
        st.toast(ok, icon="✅")
    return True
