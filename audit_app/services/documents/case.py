"""After the justering: the minutes sent to the contractor, the contractor's comments, and the
case of the tjänsteskrivelse (its diarienummer and bedömning) until it is stored.

These fields are not part of the justerade minutes, so they are written on a justerad
follow-up (the stored minutes stay byte for byte as they were); each write is logged like any
other change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from audit_app import clock
from audit_app.auth import CONDUCT, JUSTERA, Actor, reads, require
from audit_app.domain.svtext import sv_date, to_local
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import FollowUp, FollowUpStatus, StoredDocument
from audit_app.services import followups
from audit_app.services.audit_log import record_changes
from audit_app.services.documents.committee import assessment_lines, committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.facts import facts_of
from audit_app.services.documents.filenames import committee_filename
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE
from audit_app.services.documents.stored import KIND_COMMITTEE, keep, stored_of
from audit_app.services.documents.templates import render_template
from audit_app.services.privacy import guard, refuse_personnummer
from audit_app.services.settings import take_case_number

RECORD = CONDUCT | JUSTERA
"""Who records the dispatch and prepares the tjänsteskrivelse: revisor, admin, förvaltningschef."""
MAX_DNR = 40


def _justerad(session: Session, followup_id: uuid.UUID, what: str) -> FollowUp:
    followup = followups.get_followup(session, followup_id)
    if followup.status is not FollowUpStatus.justerad:
        raise ValidationFailed([f"{what} när minnesanteckningarna är justerade."])
    return followup


def _justerad_on(followup: FollowUp) -> date | None:
    return to_local(followup.justerad_at).date() if followup.justerad_at else None


def record_minutes_sent(
    session: Session, actor: Actor, followup_id: uuid.UUID, sent_on: date, today: date | None = None
) -> FollowUp:
    """Record the day the justerade minutes were sent to the contractor."""
    require(actor, RECORD, "registrera att minnesanteckningar har skickats")
    followup = _justerad(session, followup_id, "Minnesanteckningarna skickas till utföraren")
    today = today or clock.today()
    justerad_on = _justerad_on(followup)
    problems = []
    if sent_on > today:
        problems.append(FieldError("sent_on", "Skickade: datumet ligger i framtiden."))
    if justerad_on is not None and sent_on < justerad_on:
        problems.append(
            FieldError(
                "sent_on",
                f"Skickade: minnesanteckningarna justerades den {sv_date(justerad_on)}, så de "
                "kan inte ha skickats före det.",
            )
        )
    if followup.contractor_comments_on is not None and sent_on > followup.contractor_comments_on:
        problems.append(
            FieldError("sent_on", "Skickade: utförarens synpunkter kom in före det datumet.")
        )
    if problems:
        raise ValidationFailed(problems)
    record_changes(session, actor, followup, {"minutes_sent_on": sent_on})
    session.flush()
    return followup


def record_contractor_comments(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    received_on: date | None,
    text: str,
    today: date | None = None,
) -> FollowUp:
    """Record the contractor's comments on the minutes (empty text removes them)."""
    require(actor, RECORD, "registrera utförarens synpunkter")
    followup = _justerad(session, followup_id, "Utförarens synpunkter registreras")
    text = text.strip()
    if not text:
        record_changes(
            session, actor, followup, {"contractor_comments": "", "contractor_comments_on": None}
        )
        session.flush()
        return followup
    refuse_personnummer(text, "Synpunkter")
    today = today or clock.today()
    problems = []
    if followup.minutes_sent_on is None:
        problems.append(
            FieldError(
                "received_on",
                "Registrera först när minnesanteckningarna skickades till utföraren.",
            )
        )
    if received_on is None:
        problems.append(FieldError("received_on", "Inkom: ange datum."))
    elif received_on > today:
        problems.append(FieldError("received_on", "Inkom: datumet ligger i framtiden."))
    elif followup.minutes_sent_on is not None and received_on < followup.minutes_sent_on:
        problems.append(
            FieldError(
                "received_on",
                "Inkom: synpunkterna kan inte ha kommit före minnesanteckningarna skickades "
                f"({sv_date(followup.minutes_sent_on)}).",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    record_changes(
        session,
        actor,
        followup,
        {"contractor_comments": text, "contractor_comments_on": received_on},
    )
    session.flush()
    return followup


# --------------------------------------------------------------------------- the committee case


def _stored_committee(session: Session, followup: FollowUp) -> StoredDocument | None:
    return stored_of(session, followup, KIND_COMMITTEE)


def _open_case(session: Session, followup_id: uuid.UUID) -> FollowUp:
    followup = _justerad(session, followup_id, "Tjänsteskrivelsen förbereds")
    if _stored_committee(session, followup) is not None:
        raise ValidationFailed(
            ["Tjänsteskrivelsen är lagrad och kan inte ändras. Den lämnas ut som den lagrades."]
        )
    return followup


def save_committee_case(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    *,
    dnr: str | None = None,
    assessment: str | None = None,
) -> FollowUp:
    """Set the case's diarienummer and/or the bedömning as the revisor worded it (empty: the
    text made from the record)."""
    require(actor, RECORD, "förbereda tjänsteskrivelser")
    followup = _open_case(session, followup_id)
    changes: dict[str, object] = {}
    guard({"dnr": ("Diarienummer", dnr), "assessment": ("Bedömning", assessment)})
    if dnr is not None:
        dnr = " ".join(dnr.split())
        if len(dnr) > MAX_DNR:
            raise ValidationFailed([FieldError("dnr", f"Diarienummer: högst {MAX_DNR} tecken.")])
        changes["committee_dnr"] = dnr
    if assessment is not None:
        changes["committee_assessment"] = assessment.strip()
    record_changes(session, actor, followup, changes)
    session.flush()
    return followup


def take_committee_dnr(
    session: Session, actor: Actor, followup_id: uuid.UUID, today: date | None = None
) -> str:
    """Give the case the next diarienummer of the series (the year of `today`)."""
    require(actor, RECORD, "ta diarienummer ur serien")
    followup = _open_case(session, followup_id)
    if followup.committee_dnr:
        raise ValidationFailed(
            [f"Ärendet har redan diarienummer {followup.committee_dnr}. Töm fältet först."]
        )
    dnr = take_case_number(session, actor, (today or clock.today()).year)
    record_changes(session, actor, followup, {"committee_dnr": dnr})
    session.flush()
    return dnr


def store_committee_report(
    session: Session, actor: Actor, followup_id: uuid.UUID, today: date | None = None
) -> StoredDocument:
    """Make the tjänsteskrivelse and keep it byte for byte (dated today); it then no longer
    changes. Needs the case's diarienummer."""
    require(actor, RECORD, "lagra tjänsteskrivelser")
    followup = _open_case(session, followup_id)
    if not followup.committee_dnr:
        raise ValidationFailed(
            [FieldError("dnr", "Ange ärendets diarienummer innan tjänsteskrivelsen lagras.")]
        )
    data = load_followup_data(session, followup, today)
    content = render_template(COMMITTEE_TEMPLATE, committee_context(data, data.today))
    return keep(
        session, followup, KIND_COMMITTEE, committee_filename(followup, data.unit_list), content
    )


@dataclass(frozen=True)
class CommitteeCase:
    """What the documents panel shows of the case and the dispatch."""

    justerad: bool
    justerad_on: date | None
    dnr: str
    assessment: str  # the revisor's words, or the text made from the record
    assessment_is_own: bool
    stored: StoredDocument | None
    minutes_sent_on: date | None
    comments: str
    comments_on: date | None
    dnr_series_example: str


@reads
def committee_case(
    session: Session, actor: Actor, followup_id: uuid.UUID, today: date | None = None
) -> CommitteeCase:
    """The case of one follow-up as the panel shows it."""
    followup = followups.visible_followup(session, actor, followup_id)
    own = followup.committee_assessment.strip()
    if followup.status is not FollowUpStatus.justerad:
        # Nothing of the case is shown before justering; the page asks on every rerun, so it
        # must not build the whole document data for it (0.05-0.17 s on a 60-item meeting).
        return CommitteeCase(
            justerad=False,
            justerad_on=None,
            dnr=followup.committee_dnr,
            assessment=own,
            assessment_is_own=bool(own),
            stored=None,
            minutes_sent_on=followup.minutes_sent_on,
            comments=followup.contractor_comments,
            comments_on=followup.contractor_comments_on,
            dnr_series_example="",
        )
    data = load_followup_data(session, followup, today)
    generated = "\n\n".join(assessment_lines(data, facts_of(data)))
    year = (today or clock.today()).year
    return CommitteeCase(
        justerad=followup.status is FollowUpStatus.justerad,
        justerad_on=_justerad_on(followup),
        dnr=followup.committee_dnr,
        assessment=own or generated,
        assessment_is_own=bool(own),
        stored=_stored_committee(session, followup),
        minutes_sent_on=followup.minutes_sent_on,
        comments=followup.contractor_comments,
        comments_on=followup.contractor_comments_on,
        dnr_series_example=data.settings.case_number(year, data.settings.next_number(year)),
    )
