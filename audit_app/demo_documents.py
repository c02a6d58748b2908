"""The demo's records after the justering and the officials who sign: the minutes sent to the
contractor, the contractor's comments, the committee cases numbered in the series (split from
demo.py, which stays under the layout rule's lines)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from audit_app import clock
from audit_app.auth import SYSTEM, Actor
from audit_app.domain import calendar
from audit_app.domain.svtext import LOCAL_TZ, to_local
from audit_app.models import FindingKind, FindingStatus, FollowUpKind, FollowUpStatus
from audit_app.services import followups
from audit_app.services import settings as document_settings
from audit_app.services.documents import case


def clock_at(day: date, hour: int, today: date) -> None:
    """Set the app's clock to `hour` o'clock (local time) on `day`, never after `today`."""
    moment = datetime.combine(min(day, today), time(hour), LOCAL_TZ)
    clock.set_now(moment)


OTHER_COMMENTS = ["Vi har inga invändningar mot minnesanteckningarna."]
CONTRACTOR_COMMENTS: dict[FollowUpKind, list[str]] = {
    FollowUpKind.avtal: [
        "Vi har inga invändningar mot minnesanteckningarna.",
        "Under punkt 3 vill vi förtydliga att rutinen reviderades veckan efter mötet.",
        "Åtgärden om genomförandeplaner har redan påbörjats; underlag skickas före "
        "återuppföljningen.",
    ],
    FollowUpKind.ateruppfoljning: [
        "Vi har inga invändningar mot minnesanteckningarna.",
        "Underlaget för de åtgärder som kvarstår skickas till förvaltningen inom två veckor.",
    ],
    FollowUpKind.kvalitetsrevision: ["Vi har inga invändningar mot revisionsrapporten."],
}
"""What contractors answer on the minutes, by the kind of follow-up (a comment on point 3 or
on a coming återuppföljning only where the minutes have them)."""


def officials(session: Session) -> None:
    """The officials who sign the documents, in the settings (their names are public)."""
    document_settings.save_document_settings(
        session,
        SYSTEM,
        document_settings.DocumentSettings(
            signatory=document_settings.Official(name="Lars Berg", title="Förvaltningschef"),
            officials=[
                document_settings.Official(name="Karin Ek", title="Utvecklingsledare"),
                document_settings.Official(name="Omar Lund", title="Kvalitetsrevisor"),
            ],
        ),
    )


def after_justering(session: Session, revisor: Actor, today: date) -> None:
    """The justerade minutes sent to the contractor two working days after the justering, some
    answered with comments; the contract follow-ups' cases numbered in the diarienummer
    series."""
    done = followups.list_followups(
        session,
        followups.FollowUpFilter(statuses=[FollowUpStatus.justerad], newest_first=False),
        actor=SYSTEM,
    )
    names = followups.unit_names(session, [f.id for f in done])
    # By what they are, not by their random ids: the same demo every time.
    done.sort(key=lambda f: (f.planned_date, f.planned_time, f.kind.value, names.get(f.id, [])))
    for number, followup in enumerate(done):
        assert followup.justerad_at is not None
        justerad_on = to_local(followup.justerad_at).date()
        sent = working_day(justerad_on + timedelta(days=2))
        if sent >= today:
            continue
        clock_at(sent, 11, today)
        case.record_minutes_sent(session, revisor, followup.id, sent, today=today)
        received = working_day(sent + timedelta(days=7))
        if number % 3 == 0 and received < today:
            clock_at(received, 14, today)
            comments = CONTRACTOR_COMMENTS.get(followup.kind, OTHER_COMMENTS)
            if not any(
                x.kind is FindingKind.avvikelse and x.status is not FindingStatus.avfardad
                for x in followups.findings_of(session, followup.id)
            ):  # no avvikelse: no återuppföljning to speak of
                comments = [c for c in comments if "återuppföljningen" not in c]
            comment = comments[number // 3 % len(comments)]
            case.record_contractor_comments(
                session, revisor, followup.id, received, comment, today=today
            )
        if followup.kind is FollowUpKind.avtal:
            clock_at(sent, 13, today)
            case.take_committee_dnr(session, revisor, followup.id, today=sent)


def working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day
