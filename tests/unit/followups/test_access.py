"""Readers by the rules: a läsare sees only justerade follow-ups and their final documents."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import NotFound
from audit_app.services import followups, overview
from audit_app.services.documents import exports, stored
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.followups.fixtures import deviation_with_action, finish, plan


def test_a_reader_cannot_open_list_or_download_a_followup_before_it_is_justerad(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    deviation_with_action(session, f)
    assert followups.visible_followup(session, REVISOR, f.id) is f
    assert followups.visible_followup(session, CHEF, f.id) is f
    with pytest.raises(NotFound, match="Läsare ser uppföljningar när de är justerade"):
        followups.visible_followup(session, LASARE, f.id)
    for read in (
        lambda: stored.documents_panel(session, LASARE, f.id),
        lambda: stored.minutes_document(session, LASARE, f.id),
        lambda: stored.minutes_document(session, LASARE, f.id, committee=True),
        lambda: exports.followup_workbook(session, LASARE, f.id),
    ):
        with pytest.raises(NotFound):
            read()
    assert followups.list_followups(session, actor=LASARE) == []
    assert overview.action_register(session, LASARE, overview.OPEN_FILTER).rows == []
    assert overview.action_register(session, REVISOR, overview.OPEN_FILTER).total == 1

    finish(session, f)
    assert followups.list_followups(session, actor=LASARE) == [f]
    download = stored.minutes_document(session, LASARE, f.id)
    assert download.stored and download.content[:2] == b"PK"
    assert overview.action_register(session, LASARE, overview.OPEN_FILTER).total == 1
