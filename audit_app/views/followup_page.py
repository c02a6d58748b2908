"""One follow-up: read it, and (step 3) conduct it."""

import uuid

import streamlit as st

from audit_app.errors import NotFound
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.ui import db, sv_date


def render(followup_id: uuid.UUID) -> None:
    if st.button("← Alla uppföljningar", key="followup.back"):
        del st.session_state["followups.selected"]
        st.rerun()
    try:
        with db() as session:
            f = fu.get_followup(session, followup_id)
            units = fu.unit_names(session, [f.id])[f.id]
            contractor = reg.get_contractor(session, f.contractor_id).name
            findings = fu.findings_of(session, f.id)
    except NotFound as exc:
        st.error(exc.message)
        return
    st.title(f"{fu.KIND_LABELS[f.kind]}: {', '.join(units)}")
    st.markdown(
        f"**{contractor}** · {sv_date(f.planned_date)} {f.planned_time} · {f.place}  \n"
        f"Status: **{fu.STATUS_LABELS[f.status]}** · version {f.version}"
    )
    st.subheader("Iakttagelser")
    for finding in findings:
        st.markdown(
            f"- **{fu.FINDING_KIND_LABELS[finding.kind]}** ({fu.FINDING_STATUS_LABELS[finding.status]}): "
            f"{finding.title}"
        )
