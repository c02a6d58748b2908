"""Streamlit entry: page config, log-in gate (resumed after a reload) and navigation by role."""

from collections.abc import Callable, Collection
from typing import NamedTuple

import streamlit as st

from audit_app.auth import EDIT_CHECKLISTS, ROLE_LABELS
from audit_app.domain.rules import SEES_UNFINISHED
from audit_app.models import Role
from audit_app.serving import EXPOSED, error_details, listens_everywhere
from audit_app.ui import plain
from audit_app.views import (
    actions,
    checklists,
    contractors,
    contracts,
    documents,
    followups,
    indicators,
    planning,
    sanctions,
    signals,
    start,
    users,
)
from audit_app.views import overview as overview_page
from audit_app.views.login import current_user, login_at, login_page, logout, sync_cookie
from audit_app.views.marker import mark_run_finished
from audit_app.views.style import swedish_widgets

st.set_page_config(page_title="Revisionsstöd", page_icon=":material/checklist:", layout="wide")


class _Nav(NamedTuple):
    render: Callable[[], None]
    title: str
    icon: str
    path: str
    roles: Collection[Role] | None = None  # None: every role


NAVIGATION: dict[str, tuple[_Nav, ...]] = {
    "Översikt": (
        _Nav(start.render, "Start", ":material/home:", "start"),
        _Nav(overview_page.render, "Översikt", ":material/monitoring:", "oversikt"),
        _Nav(followups.render, "Uppföljningar", ":material/checklist:", "uppfoljningar"),
        _Nav(actions.render, "Åtgärdsregister", ":material/task_alt:", "atgarder"),
        _Nav(
            planning.render, "Planering", ":material/calendar_month:", "planering", SEES_UNFINISHED
        ),
        _Nav(documents.render, "Dokument och mallar", ":material/article:", "dokument"),
        _Nav(signals.render, "Signaler", ":material/campaign:", "signaler"),
        _Nav(sanctions.render, "Sanktioner", ":material/gavel:", "sanktioner"),
    ),
    "Register": (
        _Nav(
            contractors.render, "Entreprenörer och enheter", ":material/apartment:", "entreprenorer"
        ),
        _Nav(contracts.render, "Avtal", ":material/description:", "avtal"),
        _Nav(indicators.render, "Indikatorer", ":material/query_stats:", "indikatorer"),
        _Nav(checklists.render, "Checklistor", ":material/rule:", "checklistor", EDIT_CHECKLISTS),
    ),
    "Administration": (
        _Nav(users.render, "Användare", ":material/group:", "anvandare", {Role.admin}),
    ),
}
"""Every page in sidebar order, by group: title, icon, address and who sees it."""


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    """The pages of a role, grouped as in the sidebar (Start is where a log-in lands)."""
    groups = {
        group: [
            st.Page(
                n.render, title=n.title, icon=n.icon, url_path=n.path, default=n.path == "start"
            )
            for n in navs
            if n.roles is None or role in n.roles
        ]
        for group, navs in NAVIGATION.items()
    }
    return {group: pages for group, pages in groups.items() if pages}


# Every page address; logged out, each shows the log-in page so a reload or a bookmark of a
# deep link logs in and lands where it pointed.
ALL_PATHS = sorted(
    {p.url_path for group in pages_for(Role.admin).values() for p in group if p.url_path}
)


def main() -> None:
    """Run the page of this session, then emit the end-of-run marker."""
    st.set_option("client.showErrorDetails", error_details())
    if listens_everywhere():
        st.error(EXPOSED)
    else:
        swedish_widgets()
        _route()
    mark_run_finished()


def _route() -> None:
    """Show the log-in page when logged out, else the pages the user's role may see."""
    user = current_user()
    sync_cookie()
    if user is None:
        login_pages = [st.Page(login_page, title="Logga in", url_path="login", default=True)]
        login_pages += [
            st.Page(login_at(path), title="Logga in", url_path=path) for path in ALL_PATHS
        ]
        st.navigation(login_pages, position="hidden").run()
        return
    role = Role(user["role"])
    pages = pages_for(role)
    st.session_state["nav.pages"] = {p.url_path: p for group in pages.values() for p in group}
    nav = st.navigation(pages)
    with st.sidebar:
        st.markdown(f"**{plain(user['display_name'])}**  \n{ROLE_LABELS[role]}")
        if st.button("Logga ut", key="auth.logout"):
            logout()
            st.rerun()
    nav.run()


main()
