"""The sanctions ladder as a pure rule: påpekande first, then vite or prisavdrag, then hävning
(LOU) or återkallat godkännande (LOV), proposed only when an återuppföljning found the
avvikelse still open and nothing has been decided on it since."""

from datetime import date

from audit_app.domain import sanctions as ladder
from audit_app.models import ProcurementForm, SanctionKind

LOU, LOV = ProcurementForm.lou, ProcurementForm.lov
RECHECK = date(2026, 6, 10)


def _facts(*taken: ladder.Taken, form: ProcurementForm = LOU, **kw: object) -> ladder.LadderFacts:
    base = {"form": form, "still_open": True, "recheck_done_on": RECHECK, "taken": taken}
    return ladder.LadderFacts(**(base | kw))  # type: ignore[arg-type]


def test_the_ladder_climbs_by_the_contracts_form() -> None:
    assert ladder.next_steps(LOU, []) == (SanctionKind.papekande,)
    assert ladder.next_steps(LOU, [SanctionKind.papekande]) == (
        SanctionKind.vite,
        SanctionKind.prisavdrag,
    )
    assert ladder.next_steps(LOU, [SanctionKind.papekande, SanctionKind.vite]) == (
        SanctionKind.havning,
    )
    assert ladder.next_steps(LOV, [SanctionKind.prisavdrag]) == (
        SanctionKind.aterkallat_godkannande,
    )
    assert ladder.next_steps(LOU, [SanctionKind.havning]) == ()
    # The highest rung taken counts, whatever the order they were decided in.
    assert ladder.next_steps(LOU, [SanctionKind.vite, SanctionKind.papekande]) == (
        SanctionKind.havning,
    )
    assert ladder.allowed_kinds(LOV)[-1] is SanctionKind.aterkallat_godkannande
    assert SanctionKind.havning not in ladder.allowed_kinds(LOV)


def test_first_failed_recheck_proposes_a_papekande() -> None:
    proposal = ladder.propose(_facts())
    assert proposal is not None
    assert proposal.kinds == (SanctionKind.papekande,)
    assert proposal.reason == "Avvikelsen kvarstod vid återuppföljningen 10 juni 2026."


def test_after_a_papekande_the_next_failed_recheck_proposes_vite_or_prisavdrag() -> None:
    earlier = ladder.Taken(SanctionKind.papekande, date(2026, 3, 20), on_this_finding=False)
    proposal = ladder.propose(_facts(earlier))
    assert proposal is not None
    assert proposal.kinds == (SanctionKind.vite, SanctionKind.prisavdrag)
    assert "senast påpekande 20 mars 2026" in proposal.reason


def test_the_last_rung_is_havning_under_lou_and_aterkallat_godkannande_under_lov() -> None:
    taken = (
        ladder.Taken(SanctionKind.papekande, date(2026, 1, 10), False),
        ladder.Taken(SanctionKind.vite, date(2026, 4, 2), False),
    )
    lou = ladder.propose(_facts(*taken))
    lov = ladder.propose(_facts(*taken, form=LOV))
    assert lou is not None and lou.kinds == (SanctionKind.havning,)
    assert lov is not None and lov.kinds == (SanctionKind.aterkallat_godkannande,)


def test_nothing_is_proposed_without_a_failed_recheck_or_after_the_last_rung() -> None:
    assert ladder.propose(_facts(recheck_done_on=None)) is None  # not re-checked yet
    assert ladder.propose(_facts(still_open=False)) is None  # closed at the återuppföljning
    done = ladder.Taken(SanctionKind.havning, date(2026, 5, 1), False)
    assert ladder.propose(_facts(done)) is None


def test_a_sanction_on_this_avvikelse_after_the_recheck_answers_the_proposal() -> None:
    after = ladder.Taken(SanctionKind.papekande, RECHECK, on_this_finding=True)
    assert ladder.propose(_facts(after)) is None
    # A påpekande on it before the återuppföljning: the återuppföljning found it still open,
    # so the ladder climbs.
    before = ladder.Taken(SanctionKind.papekande, date(2026, 4, 1), on_this_finding=True)
    proposal = ladder.propose(_facts(before))
    assert proposal is not None and proposal.kinds == (SanctionKind.vite, SanctionKind.prisavdrag)
