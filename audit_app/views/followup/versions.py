"""Justerade versions of a follow-up, their differences and what each held."""

import uuid

import pandas as pd
import streamlit as st

from audit_app.domain import labels
from audit_app.domain.svtext import sv_short_moment
from audit_app.models import Result
from audit_app.services import followups
from audit_app.ui import actor, db, plain
from audit_app.views.followup.common import ns


def render_versions(followup_id: uuid.UUID, editable: bool) -> None:
    with db() as session:
        followups.visible_followup(session, actor(), followup_id)
        versions = followups.versions_of(session, followup_id)
    if not versions:
        st.info("Uppföljningen har ingen justerad version än.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": v.version,
                    "Justerad": sv_short_moment(v.created_at),
                    "Av": v.snapshot.get("justerad_by") or "",
                    "Anledning till rättelse": v.reason,
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if len(versions) >= 2:
        numbers = [v.version for v in versions]
        c1, c2 = st.columns(2)
        a = c1.selectbox(
            "Jämför version", numbers, index=len(numbers) - 2, key=ns(followup_id, "v.a")
        )
        b = c2.selectbox("med version", numbers, index=len(numbers) - 1, key=ns(followup_id, "v.b"))
        old = next(v for v in versions if v.version == a)
        new = next(v for v in versions if v.version == b)
        lines = followups.snapshot_diff(old.snapshot, new.snapshot)
        st.markdown(
            "\n".join(f"- {plain(line)}" for line in lines) if lines else "Inga skillnader."
        )
    chosen = st.selectbox(
        "Visa version",
        [v.version for v in versions],
        index=len(versions) - 1,
        key=ns(followup_id, "v.show"),
    )
    snap = next(v for v in versions if v.version == chosen).snapshot
    titles = {i["key"]: i for i in snap.get("agenda", [])}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Punkt": (titles.get(k, {}).get("clause") or "")
                    + " "
                    + titles.get(k, {}).get("text", k),
                    "Bedömning": labels.label_of(Result, v["result"]),
                    "Svar": v["value"],
                    "Kommentar": v["comment"],
                }
                for k, v in snap["assessments"].items()
            ]
        ),
        hide_index=True,
        width="stretch",
    )
