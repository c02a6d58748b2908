"""A revisor's planned follow-ups as an iCalendar file (one VEVENT each), for Outlook."""

import uuid
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from audit_app.auth import Actor, reads
from audit_app.domain import labels
from audit_app.domain.svtext import LOCAL_TZ
from audit_app.errors import NotFound
from audit_app.models import Contract, FollowUp, FollowUpStatus, User
from audit_app.services.followups.queries import contractor_names, readable_statuses, unit_names

MEETING_HOURS = 2
UID_DOMAIN = "revisionsstod"
PRODID = "-//Revisionsstöd//Uppföljningsplan//SV"


def _start(day: date, clock: str) -> datetime | date:
    """The meeting's start in Swedish local time; a day without a time is an all-day event."""
    try:
        hours, minutes = (int(x) for x in clock.split(":"))
    except ValueError:
        return day
    return datetime.combine(day, time(hours, minutes), tzinfo=LOCAL_TZ)


@reads
def revisor_calendar(
    session: Session, actor: Actor, username: str, now: datetime | None = None
) -> bytes:
    """Every planned follow-up of the revisor (its author) as one VEVENT each."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFound(f"Det finns inget konto {username!r}.")
    query = (
        select(FollowUp)
        .where(FollowUp.author_id == user.id, FollowUp.status == FollowUpStatus.planerad)
        .order_by(col(FollowUp.planned_date), col(FollowUp.planned_time))
    )
    statuses = readable_statuses(actor)
    if statuses is not None:
        query = query.where(col(FollowUp.status).in_(statuses))
    found = list(session.exec(query))
    names = unit_names(session, [f.id for f in found])
    owners = contractor_names(session, [f.id for f in found])
    # the committee's own check of biståndsärenden has no contractor
    rows = [(f, ", ".join(owners[f.id]) or "utskottets kontroll") for f in found]
    dnrs = dict(session.exec(select(Contract.id, Contract.dnr)).all())
    stamp = now or datetime.now(LOCAL_TZ)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Uppföljningar – {user.display_name}")
    for followup, contractor in rows:
        units = ", ".join(names.get(followup.id, []))
        event = Event()
        event.add("uid", f"{followup.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        start = _start(followup.planned_date, followup.planned_time)
        event.add("dtstart", start)
        if isinstance(start, datetime):
            event.add("dtend", start + timedelta(hours=MEETING_HOURS))
        else:
            event.add("dtend", start + timedelta(days=1))
        event.add("summary", f"{labels.KIND_LABELS[followup.kind]}: {units} ({contractor})")
        if followup.place:
            event.add("location", followup.place)
        lines = [f"Entreprenör: {contractor}", f"Enhet: {units}"]
        if followup.contract_id in dnrs:
            lines.append(f"Avtal: {dnrs[followup.contract_id]}")
        lines += [
            f"Deltagare: {p.get('name', '')} ({p.get('role', '')})" for p in followup.participants
        ]
        event.add("description", "\n".join(lines))
        event.add("categories", [labels.KIND_LABELS[followup.kind]])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def followup_uid(followup_id: uuid.UUID) -> str:
    """The UID a follow-up's event has in every calendar file (updates replace it)."""
    return f"{followup_id}@{UID_DOMAIN}"
