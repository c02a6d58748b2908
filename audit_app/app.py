"""Streamlit entry: page config, log-in gate (resumed after a reload) and navigation by role."""

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


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    """The pages of a role, grouped as in the sidebar."""
    overview = [
        st.Page(
            start.render, title="Start", icon=":material/home:", url_path="start", default=True
        ),
        st.Page(
            followups.render,
            title="Uppföljningar",
            icon=":material/checklist:",
            url_path="uppfoljningar",
        ),
        st.Page(
            documents.render,
            title="Dokument och mallar",
            icon=":material/article:",
            url_path="dokument",
        ),
    ]
    overview.insert(
        1,
        st.Page(
            overview_page.render,
            title="Översikt",
            icon=":material/monitoring:",
            url_path="oversikt",
        ),
    )
    overview.insert(
        3,
        st.Page(
            actions.render,
            title="Åtgärdsregister",
            icon=":material/task_alt:",
            url_path="atgarder",
        ),
    )
    overview += [
        st.Page(signals.render, title="Signaler", icon=":material/campaign:", url_path="signaler"),
        st.Page(
            sanctions.render, title="Sanktioner", icon=":material/gavel:", url_path="sanktioner"
        ),
    ]
    if role in SEES_UNFINISHED:
        overview.insert(
            4,
            st.Page(
                planning.render,
                title="Planering",
                icon=":material/calendar_month:",
                url_path="planering",
            ),
        )
    registers = [
        st.Page(
            contractors.render,
            title="Entreprenörer och enheter",
            icon=":material/apartment:",
            url_path="entreprenorer",
        ),
        st.Page(contracts.render, title="Avtal", icon=":material/description:", url_path="avtal"),
        st.Page(
            indicators.render,
            title="Indikatorer",
            icon=":material/query_stats:",
            url_path="indikatorer",
        ),
    ]
    if role in EDIT_CHECKLISTS:
        registers.append(
            st.Page(
                checklists.render,
                title="Checklistor",
                icon=":material/rule:",
                url_path="checklistor",
            )
        )
    groups: dict[str, list[st.Page]] = {"Översikt": overview, "Register": registers}
    if role is Role.admin:
        groups["Administration"] = [
            st.Page(users.render, title="Användare", icon=":material/group:", url_path="anvandare")
        ]
    return groups


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
