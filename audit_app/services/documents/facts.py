"""The figures of one follow-up, counted once, and the sentences every document says them with.

The minutes, the tjänsteskrivelse and their tables all take their figures from `FollowUpFacts`,
so a sentence can never say something the table beside it does not: the counts of a scope add
up to its items, an avvikelse on record is never denied, items left unassessed are stated, and
an action plan is only mentioned when actions exist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem
from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    BEDOMD,
    DELVIS_UPPFYLLD,
    EJ_UPPFYLLD,
    FORBATTRINGSOMRADE,
    FORSLAG,
    IAKTTAGELSE,
    KRAV,
    UPPFYLLD,
    Noun,
    amount,
    capitalize,
    counted_list,
    in_words,
    none_of,
    number,
    part_of,
    sv_date,
    sv_join,
    tally,
)
from audit_app.models import (
    Action,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
    ItemKind,
    Result,
)
from audit_app.services.documents.data import FollowUpData

JUDGED = (Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt)


@dataclass(frozen=True)
class ResultTally:
    """How the items of one scope were judged; the parts add up to `total`."""

    total: int
    met: int = 0
    partly: int = 0
    not_met: int = 0
    not_applicable: int = 0
    unassessed: int = 0

    @property
    def judged(self) -> int:
        """Items judged uppfyllt, delvis uppfyllt or ej uppfyllt."""
        return self.met + self.partly + self.not_met

    def rows(self) -> list[dict[str, object]]:
        """The table beside the sentences: one row per result (ej bedömd only when there are
        any), then Totalt."""
        rows: list[dict[str, object]] = [
            {"label": labels.RESULT_LABELS[Result.uppfyllt], "count": self.met},
            {"label": labels.RESULT_LABELS[Result.delvis_uppfyllt], "count": self.partly},
            {"label": labels.RESULT_LABELS[Result.ej_uppfyllt], "count": self.not_met},
            {"label": labels.RESULT_LABELS[Result.ej_aktuellt], "count": self.not_applicable},
        ]
        if self.unassessed:
            rows.append({"label": labels.RESULT_LABELS[Result.ej_bedomd], "count": self.unassessed})
        rows.append({"label": "Totalt", "count": self.total})
        return rows


def tally_items(data: FollowUpData, items: Sequence[AgendaItem]) -> ResultTally:
    """Count the results of assessment items (a missing answer is ej bedömd)."""
    counts = Counter(
        data.assessments[i.key].result if i.key in data.assessments else Result.ej_bedomd
        for i in items
        if i.is_assessment()
    )
    return ResultTally(
        total=sum(counts.values()),
        met=counts[Result.uppfyllt],
        partly=counts[Result.delvis_uppfyllt],
        not_met=counts[Result.ej_uppfyllt],
        not_applicable=counts[Result.ej_aktuellt],
        unassessed=counts[Result.ej_bedomd],
    )


@dataclass
class FollowUpFacts:
    """Every figure the documents of one follow-up state."""

    agenda_items: int
    unanswered: int  # agenda items without an answer (bedömning or value)
    requirements: ResultTally
    ska: int
    bor: int
    assessed: ResultTally  # every item answered with a bedömning
    deviations: list[Finding] = field(default_factory=list)  # confirmed or closed avvikelser
    improvements: list[Finding] = field(default_factory=list)
    observations: list[Finding] = field(default_factory=list)
    proposed: list[Finding] = field(default_factory=list)  # proposals not yet decided
    actions: list[Action] = field(default_factory=list)
    deviations_without_action: list[Finding] = field(default_factory=list)
    downgraded: list[Finding] = field(default_factory=list)
    rejected: list[Finding] = field(default_factory=list)

    @property
    def has_deviations(self) -> bool:
        return bool(self.deviations)


def facts_of(data: FollowUpData) -> FollowUpFacts:
    """Count a follow-up's items, results, findings and actions once."""
    requirement_items = [i for i in data.agenda if i.is_requirement and i.is_assessment()]
    live = data.live_findings()
    decided = [f for f in live if f.status is not FindingStatus.foreslagen]
    deviations = [f for f in decided if f.kind is FindingKind.avvikelse]
    actions = [a for f in live for a in data.actions.get(f.id, [])]
    return FollowUpFacts(
        agenda_items=len(data.agenda),
        unanswered=sum(1 for i in data.agenda if not i.is_answered(data.assessments.get(i.key))),
        requirements=tally_items(data, requirement_items),
        ska=sum(1 for i in requirement_items if i.kind is ItemKind.ska_krav),
        bor=sum(1 for i in requirement_items if i.kind is ItemKind.bor_krav),
        assessed=tally_items(data, data.agenda),
        deviations=deviations,
        improvements=[f for f in decided if f.kind is FindingKind.forbattringsomrade],
        observations=[f for f in decided if f.kind is FindingKind.iakttagelse],
        proposed=[f for f in live if f.status is FindingStatus.foreslagen],
        actions=actions,
        deviations_without_action=[
            f
            for f in deviations
            if f.status is FindingStatus.bekraftad and not data.actions.get(f.id)
        ],
        downgraded=[f for f in decided if f.downgrade_reason],
        rejected=[
            f
            for f in data.findings
            if f.status is FindingStatus.avfardad and f.reject_reason and not f.withdraw_reason
        ],
    )


# --------------------------------------------------------------------------- sentences


def results_sentence(t: ResultTally, noun: Noun = KRAV) -> str:
    """'Av 38 bedömda krav var 36 uppfyllda, ett delvis uppfyllt och ett ej uppfyllt.'"""
    if t.judged == 0:
        return ""
    if t.met == t.judged:
        return (
            capitalize(part_of(t.met, t.judged, noun, UPPFYLLD, verb="var", attribute=BEDOMD)) + "."
        )
    words = in_words(t.judged)
    parts = tally(
        [(t.met, UPPFYLLD), (t.partly, DELVIS_UPPFYLLD), (t.not_met, EJ_UPPFYLLD)],
        noun,
        words=words,
    )
    whole = number(t.judged, noun, words=words)
    return f"Av {whole} {BEDOMD.agree(noun, t.judged)} {noun.form(t.judged)} var {parts}."


def not_applicable_sentence(t: ResultTally, noun: Noun = KRAV) -> str:
    """'Två krav var inte aktuella för verksamheten.'"""
    if not t.not_applicable:
        return ""
    n = t.not_applicable
    state = "aktuellt" if n == 1 and noun.neuter else "aktuell" if n == 1 else "aktuella"
    return f"{capitalize(amount(n, noun))} var inte {state} för verksamheten."


def unassessed_sentence(
    n: int, noun: Noun, status: FollowUpStatus, *, where: str = "vid uppföljningen"
) -> str:
    """'Tre krav bedömdes inte vid uppföljningen.' (a follow-up still under way: 'är ännu inte
    bedömda')."""
    if not n:
        return ""
    if status in (FollowUpStatus.planerad, FollowUpStatus.pagar):
        state = ("bedömt" if noun.neuter else "bedömd") if n == 1 else "bedömda"
        return f"{capitalize(amount(n, noun))} är ännu inte {state}."
    return f"{capitalize(amount(n, noun))} bedömdes inte {where}."


def findings_sentence(f: FollowUpFacts, subject: str = "Uppföljningen") -> str:
    """'Uppföljningen ledde till två avvikelser och ett förbättringsområde.' or, when there
    were none, 'Uppföljningen ledde inte till några avvikelser eller förbättringsområden.'"""
    listed = counted_list(
        [
            (len(f.deviations), AVVIKELSE),
            (len(f.improvements), FORBATTRINGSOMRADE),
            (len(f.observations), IAKTTAGELSE),
        ]
    )
    text = (
        f"{subject} ledde till {listed}."
        if listed
        else f"{subject} ledde inte till {none_of([AVVIKELSE, FORBATTRINGSOMRADE])}."
    )
    if f.proposed:
        n = len(f.proposed)
        text += (
            f" {capitalize(amount(n, FORSLAG))} till avvikelse eller förbättringsområde är "
            f"ännu inte {'avgjort' if n == 1 else 'avgjorda'}."
        )
    return text


def downgraded_sentence(f: FollowUpFacts) -> str:
    """Say which requirements were not met but were judged förbättringsområden, and why."""
    if not f.downgraded:
        return ""
    reasons = sv_join(dict.fromkeys(x.downgrade_reason.strip().rstrip(".") for x in f.downgraded))
    n = len(f.downgraded)
    return (
        f"{capitalize(amount(n, Noun('brist', 'brister')))} som föreslogs som "
        f"{'avvikelse' if n == 1 else 'avvikelser'} bedömdes i stället som "
        f"{'förbättringsområde' if n == 1 else 'förbättringsområden'}: {reasons}."
    )


def action_plan_sentence(f: FollowUpFacts, *, from_contract: bool = True) -> str:
    """What the action plan is: 'För de två avvikelserna upprättades en åtgärdsplan med tre
    åtgärder.' Claimed only when the avvikelser have actions; actions on förbättringsområden
    are said apart."""
    deviation_ids = {x.id for x in f.deviations}
    on_deviations = sum(1 for a in f.actions if a.finding_id in deviation_ids)
    others = len(f.actions) - on_deviations
    n_dev = len(f.deviations)
    what = "avvikelserna från avtalet" if from_contract else "avvikelserna"
    lines = []
    if n_dev and on_deviations:
        which = (
            f"avvikelsen{' från avtalet' if from_contract else ''}"
            if n_dev == 1
            else f"de {number(n_dev, AVVIKELSE)} {what}"
        )
        lines.append(
            f"För {which} upprättades en åtgärdsplan med {amount(on_deviations, ATGARD)}. "
            + (
                "Utföraren ansvarar för att åtgärden genomförs och visar underlag för den vid "
                if on_deviations == 1
                else "Utföraren ansvarar för att åtgärderna genomförs och visar underlag för dem "
                "vid "
            )
            + "återuppföljningen."
        )
    elif n_dev:
        lines.append("Åtgärder för avvikelserna är ännu inte registrerade.")
    elif any(x.kind is FindingKind.avvikelse for x in f.proposed):
        lines.append(
            "Ingen avvikelse är ännu bekräftad. En åtgärdsplan upprättas för de avvikelser som "
            "bekräftas."
        )
    else:
        lines.append(
            "Inga avvikelser konstaterades, så någon åtgärdsplan behövs inte."
            if not others
            else "Inga avvikelser konstaterades."
        )
    missing = [x for x in f.deviations_without_action if on_deviations]
    if missing:
        lines.append(
            f"{capitalize(amount(len(missing), AVVIKELSE))} saknar ännu åtgärd i åtgärdsplanen."
        )
    if others:
        lines.append(
            f"{'Därutöver åtog' if n_dev else 'Utföraren åtog'} sig "
            f"{'utföraren ' if n_dev else ''}{amount(others, ATGARD)} för "
            f"{'förbättringsområdet' if len(f.improvements) == 1 else 'förbättringsområdena'}."
        )
    return " ".join(lines)


def not_held_sentence(data: FollowUpData) -> str:
    """A planned follow-up: not held yet (or its day has passed without it being started)."""
    f = data.followup
    event = {
        FollowUpKind.kvalitetsrevision: "Revisionen",
        FollowUpKind.ateruppfoljning: "Återuppföljningen",
    }.get(f.kind, "Uppföljningen")
    if f.planned_date < data.today:
        return (
            f"{event} var planerad till den {sv_date(f.planned_date)} men är ännu inte genomförd."
        )
    return f"{event} är ännu inte genomförd."
