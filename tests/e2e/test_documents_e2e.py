"""The documents panel after the justering, in a real browser: the minutes sent, the
contractor's comments, the case number from the series, the bedömning, the stored
tjänsteskrivelse; and the settings tab of "Dokument och mallar"."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from audit_app.db import make_engine
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus
from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import (
    click,
    goto_page,
    login,
    open_address,
    open_tab,
    type_into,
)

pytestmark = pytest.mark.e2e


def _justerad_without_case(app: AppServer) -> FollowUp:
    engine = make_engine(app.db_url)
    with Session(engine) as session:
        f = session.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.justerad,
                FollowUp.kind == FollowUpKind.ledningssystem,
                FollowUp.committee_dnr == "",
            )
        ).first()
        assert f is not None
        session.expunge(f)
    engine.dispose()
    return f


def _stored_case(app: AppServer, followup_id: Any) -> FollowUp:
    engine = make_engine(app.db_url)
    with Session(engine) as session:
        f = session.get(FollowUp, followup_id)
        assert f is not None
        session.expunge(f)
    engine.dispose()
    return f


def test_the_revisor_sends_records_comments_and_stores_the_report(
    page: Any, app_server: AppServer
) -> None:
    followup = _justerad_without_case(app_server)
    login(page, app_server, "revisor")
    open_address(page, f"{app_server.url}/uppfoljningar?id={followup.id}")
    page.get_by_text("Tjänsteskrivelse till utskottet").first.wait_for()
    shot(page, "documents_panel_justerad")
    comments = page.get_by_label("Utförarens synpunkter på minnesanteckningarna", exact=True)
    type_into(page, comments, "Vi har inga invändningar mot minnesanteckningarna.")
    click(page, "Spara synpunkter")
    page.get_by_text("Utförarens synpunkter är sparade.").wait_for()
    click(page, next(
        b for b in page.get_by_role("button").all_inner_texts() if b.startswith("Ta nästa nummer")
    ))  # fmt: skip
    page.get_by_text("Ärendet har fått diarienummer").wait_for()
    shot(page, "documents_panel_case_numbered")
    click(page, "Lagra tjänsteskrivelsen")
    page.get_by_text("Tjänsteskrivelsen är lagrad.").wait_for()
    shot(page, "documents_panel_stored")
    stored = _stored_case(app_server, followup.id)
    assert stored.committee_dnr.startswith("VOU ") and stored.contractor_comments
    page.get_by_text("Den lämnas ut exakt som den lagrades", exact=False).first.wait_for()


def test_the_admin_sets_the_committee_and_officials(page: Any, app_server: AppServer) -> None:
    login(page, app_server, "admin")
    goto_page(page, "Dokument")
    open_tab(page, "Inställningar", reruns=False)
    field = page.get_by_label("Utskottets namn", exact=True)
    type_into(page, field, "Socialnämndens arbetsutskott")
    click(page, "Spara inställningarna")
    page.get_by_text("Inställningarna är sparade.").wait_for()
    open_tab(page, "Inställningar", reruns=False)
    shot(page, "documents_settings")
    assert page.get_by_label("Utskottets namn", exact=True).input_value() == (
        "Socialnämndens arbetsutskott"
    )
