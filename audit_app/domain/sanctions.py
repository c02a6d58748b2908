"""The contract's sanctions ladder as a rule that needs no database.

Under LOU a contract's sanctions usually climb: påpekande, then vite or prisavdrag, then hävning;
under LOV the municipality can finally återkalla godkännandet. Each step rests on documented
avvikelser that persisted after an återuppföljning, and on the contract's own clause. The rule
proposes the next step when an återuppföljning has found the same avvikelse still open and
nothing has been decided on it since.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from audit_app.domain.labels import SANCTION_LABELS
from audit_app.domain.svtext import sv_date
from audit_app.models import ProcurementForm, SanctionKind

STEP: dict[SanctionKind, int] = {
    SanctionKind.papekande: 1,
    SanctionKind.vite: 2,
    SanctionKind.prisavdrag: 2,
    SanctionKind.havning: 3,
    SanctionKind.aterkallat_godkannande: 3,
}
"""The rung of each sanction on the ladder."""

WITH_AMOUNT = (SanctionKind.vite, SanctionKind.prisavdrag)
"""Sanctions that carry an amount in kronor."""


def final_step(form: ProcurementForm) -> SanctionKind:
    """The last rung: hävning of a LOU contract, återkallat godkännande under LOV."""
    if form is ProcurementForm.lou:
        return SanctionKind.havning
    return SanctionKind.aterkallat_godkannande


def allowed_kinds(form: ProcurementForm) -> list[SanctionKind]:
    """The sanctions a contract of this form can have, in ladder order."""
    return [SanctionKind.papekande, *WITH_AMOUNT, final_step(form)]


def next_steps(form: ProcurementForm, taken: Iterable[SanctionKind]) -> tuple[SanctionKind, ...]:
    """The rung after the highest one taken: påpekande first, then vite or prisavdrag, then
    hävning (LOU) or återkallat godkännande (LOV); nothing after the last rung."""
    step = max((STEP[k] for k in taken), default=0)
    if step == 0:
        return (SanctionKind.papekande,)
    if step == 1:
        return WITH_AMOUNT
    if step == 2:
        return (final_step(form),)
    return ()


@dataclass(frozen=True)
class Taken:
    """A sanction already decided for the same requirement of the contract."""

    kind: SanctionKind
    decided_on: date
    on_this_finding: bool  # it rests on the avvikelse in question


@dataclass(frozen=True)
class LadderFacts:
    """What the rule needs to know about one avvikelse."""

    form: ProcurementForm
    still_open: bool  # the avvikelse is confirmed and not closed
    recheck_done_on: date | None  # the återuppföljning that found it open (held and finished)
    taken: tuple[Taken, ...] = ()


@dataclass(frozen=True)
class SanctionProposal:
    kinds: tuple[SanctionKind, ...]  # the next rung (vite and prisavdrag are one rung)
    reason: str


def propose(facts: LadderFacts) -> SanctionProposal | None:
    """The next sanction for an avvikelse an återuppföljning found still open, or None.

    Nothing is proposed while the avvikelse has not been re-checked, once it is closed, when a
    sanction resting on it was decided on or after the återuppföljning (already acted on), or
    when the ladder is at its last rung.
    """
    if not facts.still_open or facts.recheck_done_on is None:
        return None
    done = facts.recheck_done_on
    if any(t.on_this_finding and t.decided_on >= done for t in facts.taken):
        return None
    kinds = next_steps(facts.form, (t.kind for t in facts.taken))
    if not kinds:
        return None
    before = sorted(facts.taken, key=lambda t: t.decided_on)
    history = (
        f"; senast {SANCTION_LABELS[before[-1].kind].lower()} {sv_date(before[-1].decided_on)}"
        if before
        else ""
    )
    return SanctionProposal(
        kinds,
        f"Avvikelsen kvarstod vid återuppföljningen {sv_date(done)}{history}.",
    )
