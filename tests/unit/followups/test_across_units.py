"""Follow-ups across units (issue 17 part 4): a riktad uppföljning over units of several
contractors with findings per unit and a re-check per contractor; the biståndsärenden check is
the committee's own, without contractor or unit; the documents say so."""

from collections import Counter
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import (
    Contractor,
    Finding,
    FindingKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Result,
    RiktadReason,
    Unit,
    UnitKind,
)
from audit_app.services import followups, overview, registers
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import FollowUpData, load_followup_data
from audit_app.services.documents.minutes import minutes_context, per_unit_lines
from audit_app.services.documents.parts import finding_groups
from audit_app.services.overview.planning import NO_CONTRACTOR
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.documents.test_claims import counted
from tests.unit.followups.fixtures import builder, finish

DAY = date(2026, 4, 14)


@pytest.fixture
def town(session: Session, setup: dict[str, Any]) -> dict[str, Any]:
    """The followups setup (Omsorg AB, Solgården) and a second contractor with a unit."""
    other = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Vård Nord AB", "559104-8276")
    )
    ekbacken = registers.save_unit(
        session, REVISOR, registers.UnitInput(other.id, "Ekbacken", UnitKind.sarskilt_boende, 24)
    )
    session.commit()
    return setup | {"other": other.id, "ekbacken": ekbacken.id}


def _riktad(session: Session, town: dict[str, Any], start: bool = True) -> FollowUp:
    f = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.riktad,
            contractor_id=None,
            unit_ids=[town["unit"], town["ekbacken"]],
            planned_date=DAY,
            reason=RiktadReason.politiskt_beslut,
            participants=[
                followups.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
                followups.Participant("Maria Holm", "Verksamhetschef", "utforare"),
            ],
        ),
    )
    if start:
        followups.start_followup(session, REVISOR, f.id, builder=builder)
    session.commit()
    return f


# --------------------------------------------------------------------------- planning


def test_a_riktad_uppfoljning_may_cover_units_of_two_contractors(
    session: Session, town: dict[str, Any]
) -> None:
    f = _riktad(session, town, start=False)
    assert f.contractor_id is None  # several contractors: none of its own
    assert set(followups.unit_ids_of(session, f.id)) == {town["unit"], town["ekbacken"]}
    assert set(followups.contractors_of(session, [f.id])[f.id]) == {
        town["contractor"],
        town["other"],
    }
    assert followups.contractor_names(session, [f.id])[f.id] == ["Omsorg AB", "Vård Nord AB"]
    # listed for each contractor, and for each unit
    for contractor in (town["contractor"], town["other"]):
        found = followups.list_followups(
            session, followups.FollowUpFilter(contractor_id=contractor), actor=REVISOR
        )
        assert f.id in {x.id for x in found}
    one = _one_contractor_riktad(session, town)
    assert one.contractor_id == town["contractor"]  # one contractor: kept on the follow-up


def _one_contractor_riktad(session: Session, town: dict[str, Any]) -> FollowUp:
    return followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.riktad,
            contractor_id=None,
            unit_ids=[town["unit"]],
            planned_date=DAY,
            reason=RiktadReason.onskemal,
        ),
    )


def test_an_avtalsuppfoljning_keeps_to_one_contractor(
    session: Session, town: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        followups.plan_followup(
            session,
            REVISOR,
            followups.PlanInput(
                kind=FollowUpKind.avtal,
                contractor_id=town["contractor"],
                unit_ids=[town["unit"], town["ekbacken"]],
                contract_id=town["contract"],
                planned_date=DAY,
            ),
        )
    text = str(refused.value.errors)
    assert "drivs av Omsorg AB" in text and "Bara en särskilt riktad uppföljning" in text
    for kind in (FollowUpKind.ledningssystem, FollowUpKind.kvalitetsrevision):
        with pytest.raises(ValidationFailed, match="gäller en entreprenör"):
            followups.plan_followup(
                session,
                REVISOR,
                followups.PlanInput(
                    kind=kind,
                    contractor_id=town["contractor"],
                    unit_ids=[town["ekbacken"]],
                    planned_date=DAY,
                ),
            )


def test_a_riktad_across_contractors_follows_up_no_contract(
    session: Session, town: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed, match="följer inte upp ett avtal"):
        followups.plan_followup(
            session,
            REVISOR,
            followups.PlanInput(
                kind=FollowUpKind.riktad,
                contractor_id=None,
                unit_ids=[town["unit"], town["ekbacken"]],
                contract_id=town["contract"],
                planned_date=DAY,
                reason=RiktadReason.politiskt_beslut,
            ),
        )


def test_bistandsarenden_are_planned_without_contractor_or_unit(
    session: Session, town: dict[str, Any]
) -> None:
    check = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.bistandsarenden, contractor_id=None, planned_date=DAY
        ),
    )
    assert check.contractor_id is None and followups.unit_ids_of(session, check.id) == []
    assert followups.contractor_names(session, [check.id])[check.id] == []
    with pytest.raises(ValidationFailed, match="utskottets egen kontroll"):
        followups.plan_followup(
            session,
            REVISOR,
            followups.PlanInput(
                kind=FollowUpKind.bistandsarenden,
                contractor_id=town["contractor"],
                unit_ids=[town["unit"]],
                planned_date=DAY,
            ),
        )
    with pytest.raises(PermissionDenied):
        followups.plan_followup(
            session,
            LASARE,
            followups.PlanInput(
                kind=FollowUpKind.bistandsarenden, contractor_id=None, planned_date=DAY
            ),
        )
    # in the year's plan, with no contractor
    (item,) = [i for i in overview.year_plan(session, REVISOR, 2026) if i.followup_id == check.id]
    assert (item.contractor, item.units) == (NO_CONTRACTOR, "")


# --------------------------------------------------------------------------- findings


def test_a_finding_on_several_units_names_its_unit(session: Session, town: dict[str, Any]) -> None:
    f = _riktad(session, town)
    with pytest.raises(ValidationFailed, match="välj vilken enhet"):
        followups.add_finding(
            session, REVISOR, f.id, FindingKind.forbattringsomrade, "Rutin saknas"
        )
    with pytest.raises(ValidationFailed, match="en av uppföljningens enheter"):
        followups.add_finding(
            session, REVISOR, f.id, FindingKind.avvikelse, "Brist", unit_id=town["other"]
        )
    followups.save_assessment(session, REVISOR, f.id, "fraga-1", result=Result.delvis_uppfyllt)
    (proposal,) = followups.findings_of(session, f.id)
    assert proposal.unit_id is None  # asked when it is decided
    with pytest.raises(ValidationFailed, match="bekräfta varje förslag för sig"):
        followups.confirm_all(session, REVISOR, f.id)
    with pytest.raises(ValidationFailed, match="välj vilken enhet"):
        followups.confirm_finding(session, REVISOR, proposal.id)
    confirmed = followups.confirm_finding(session, REVISOR, proposal.id, unit_id=town["ekbacken"])
    assert confirmed.unit_id == town["ekbacken"]
    added = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist", unit_id=town["unit"]
    )
    assert added.unit_id == town["unit"]
    session.commit()


def test_a_unit_with_findings_stays_on_the_plan(session: Session, town: dict[str, Any]) -> None:
    f = _one_contractor_riktad(session, town)
    followups.start_followup(session, REVISOR, f.id, builder=builder)
    early = followups.add_finding(
        session, REVISOR, f.id, FindingKind.iakttagelse, "Före utökningen"
    )
    assert early.unit_id is None  # one unit: no choice
    data = followups.PlanInput(
        kind=FollowUpKind.riktad,
        contractor_id=None,
        unit_ids=[town["unit"], town["ekbacken"]],
        planned_date=DAY,
        reason=RiktadReason.onskemal,
    )
    followups.update_plan(session, REVISOR, f.id, data)
    assert early.unit_id == town["unit"]  # what was found so far concerns the first unit
    assert f.contractor_id is None  # now across two contractors
    data.unit_ids = [town["ekbacken"]]
    with pytest.raises(ValidationFailed, match="Solgården har iakttagelser"):
        followups.update_plan(session, REVISOR, f.id, data)


# --------------------------------------------------------------------------- re-checks


def test_each_contractor_gets_its_own_recheck_for_its_units(
    session: Session, town: dict[str, Any]
) -> None:
    f = _riktad(session, town)
    ours = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist A", unit_id=town["unit"]
    )
    theirs = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist B", unit_id=town["ekbacken"]
    )
    again = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist A2", unit_id=town["unit"]
    )
    followups.add_finding(
        session, REVISOR, f.id, FindingKind.forbattringsomrade, "Litet", unit_id=town["unit"]
    )
    rechecks = followups.rechecks_of(session, f.id)
    assert len(rechecks) == 2
    by_owner = {r.contractor_id: r for r in rechecks}
    assert set(by_owner) == {town["contractor"], town["other"]}
    mine, other = by_owner[town["contractor"]], by_owner[town["other"]]
    assert followups.unit_ids_of(session, mine.id) == [town["unit"]]
    assert followups.unit_ids_of(session, other.id) == [town["ekbacken"]]
    assert ours.recheck_followup_id == again.recheck_followup_id == mine.id
    assert theirs.recheck_followup_id == other.id
    assert "Vård Nord AB" in other.title
    assert all(p["side"] == "kommun" for p in other.participants)  # not the other's staff
    # actions follow their finding's unit into the contractor's own re-check
    followups.add_action(session, REVISOR, ours.id, "Åtgärd A", "Verksamhetschef")
    followups.add_action(session, REVISOR, theirs.id, "Åtgärd B", "Verksamhetschef")
    followups.add_action(session, REVISOR, again.id, "Åtgärd A2", "Enhetschef")
    finish(session, f)
    assert [a.what for _o, _f, a in followups.carried_actions(session, mine)] == [
        "Åtgärd A",
        "Åtgärd A2",
    ]
    assert [a.what for _o, _f, a in followups.carried_actions(session, other)] == ["Åtgärd B"]


def test_each_contractors_trend_counts_its_own_units_avvikelser_of_a_riktad_across(
    session: Session, town: dict[str, Any]
) -> None:
    f = _riktad(session, town)
    for title, unit in (("Brist A", "unit"), ("Brist A2", "unit"), ("Brist B", "ekbacken")):
        followups.add_finding(
            session, REVISOR, f.id, FindingKind.avvikelse, title, unit_id=town[unit]
        )
    session.commit()
    ours = overview.contractor_trend(session, CHEF, town["contractor"], today=DAY)
    theirs = overview.contractor_trend(session, CHEF, town["other"], today=DAY)
    assert [(p.followup_id, p.deviations) for p in ours] == [(f.id, 2)]
    assert [(p.followup_id, p.deviations) for p in theirs] == [(f.id, 1)]
    # one agenda answered for both: no share uppfyllt is put on either contractor
    assert ours[0].share_met is None and theirs[0].share_met is None


# --------------------------------------------------------------------------- documents


def test_minutes_list_units_per_contractor_and_findings_per_unit(
    session: Session, town: dict[str, Any]
) -> None:
    f = _riktad(session, town)
    followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist A", unit_id=town["unit"]
    )
    followups.add_finding(
        session, REVISOR, f.id, FindingKind.forbattringsomrade, "Brist B", unit_id=town["ekbacken"]
    )
    session.commit()
    ctx = minutes_context(load_followup_data(session, f))
    # the title names the units in the order of the meta block: per contractor
    assert ctx["title"].endswith(" – Solgården och Ekbacken")
    meta = [(r["label"], r["value"]) for r in ctx["meta"]]
    assert meta[:4] == [
        ("Utförare", "Omsorg AB"),
        ("Verksamhet", "Solgården"),
        ("Utförare", "Vård Nord AB"),
        ("Verksamhet", "Ekbacken"),
    ]
    groups = {g["unit"]: [r["text"] for r in g["rows"]] for g in ctx["finding_groups"]}
    assert groups == {"Ekbacken (Vård Nord AB)": ["Brist B"], "Solgården (Omsorg AB)": ["Brist A"]}
    assert ctx["sendlist"][:2] == ["Omsorg AB (Solgården)", "Vård Nord AB (Ekbacken)"]
    said = " ".join(ctx["intro"] + ctx["summary"])
    assert "två enheter hos två utförare" in said
    assert "Vid Solgården konstaterades en avvikelse." in said
    assert "Vid Ekbacken konstaterades ett förbättringsområde." in said
    assert any("hos Omsorg AB (Solgården) sker senast" in x for x in ctx["next_lines"])
    committee = committee_context(load_followup_data(session, f))
    assert "Omsorg AB (Solgården) och Vård Nord AB (Ekbacken)" in committee["summary"][0]
    assert committee["send_to"][:2] == ["Omsorg AB", "Vård Nord AB"]
    headings = [x["heading"] for x in committee["finding_sections"]]
    assert [h.rsplit(" – ", 1)[1] for h in headings] == ["Solgården", "Ekbacken"]


def test_the_tjansteskrivelse_names_whose_action_plan_it_is_across_contractors(
    session: Session, town: dict[str, Any]
) -> None:
    f = _riktad(session, town)
    ours = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist A", unit_id=town["unit"]
    )
    followups.add_finding(
        session, REVISOR, f.id, FindingKind.forbattringsomrade, "Brist B", unit_id=town["ekbacken"]
    )
    followups.add_action(session, REVISOR, ours.id, "Åtgärd A", "Verksamhetschef")
    session.commit()
    said = " ".join(committee_context(load_followup_data(session, f))["summary"])
    # only Omsorg AB has an avvikelse with actions: it is named, not "Utföraren"
    assert "Omsorg AB har en åtgärdsplan med en åtgärd." in said
    assert "Utföraren har" not in said
    theirs = followups.add_finding(
        session, REVISOR, f.id, FindingKind.avvikelse, "Brist C", unit_id=town["ekbacken"]
    )
    followups.add_action(session, REVISOR, theirs.id, "Åtgärd C", "Enhetschef")
    followups.add_action(session, REVISOR, theirs.id, "Åtgärd D", "Enhetschef")
    session.commit()
    said = " ".join(committee_context(load_followup_data(session, f))["summary"])
    assert "Omsorg AB och Vård Nord AB har åtgärdsplaner med sammanlagt tre åtgärder." in said


def test_a_finding_raised_at_the_point_of_findings_is_named_by_what_it_says(
    session: Session, town: dict[str, Any]
) -> None:
    """'Avvikelse, iakttagelser – Solgården' tells the committee nothing: the point's title is
    no area of the contract, so the finding's own title names it."""

    def agenda(_session: Session, _f: FollowUp) -> list[dict[str, Any]]:
        return [
            {
                "key": "rikt-krav",
                "section_key": "iakttagelser",
                "section_title": "Iakttagelser",
                "section_role": "findings",
                "area": "Iakttagelser",
                "text": "Verksamheten uppfyller de krav som uppföljningen avser.",
                "kind": "fraga",
                "answer": "bedomning",
            }
        ]

    f = _riktad(session, town, start=False)
    followups.start_followup(session, REVISOR, f.id, builder=agenda)
    followups.add_finding(
        session,
        REVISOR,
        f.id,
        FindingKind.avvikelse,
        "Riskbedömning för fall saknas.",
        item_key="rikt-krav",
        unit_id=town["unit"],
    )
    session.commit()
    sections = committee_context(load_followup_data(session, f))["finding_sections"]
    assert [x["heading"] for x in sections] == [
        "Avvikelse: Riskbedömning för fall saknas – Solgården"
    ]


def test_bistandsarenden_documents_name_no_contractor(
    session: Session, town: dict[str, Any]
) -> None:
    check = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.bistandsarenden,
            contractor_id=None,
            planned_date=DAY,
            participants=[followups.Participant("Karin Ek", "Utvecklingsledare", "kommun")],
        ),
    )
    followups.start_followup(session, REVISOR, check.id, builder=builder)
    session.commit()
    data = load_followup_data(session, check)
    ctx = minutes_context(data)
    committee = committee_context(data)
    text = repr(ctx) + repr(committee)
    assert "Omsorg AB" not in text and "Vård Nord AB" not in text
    assert "utföraren" not in " ".join(committee["dispatch"])
    assert ctx["participant_rows"] == [] and ctx["participant_list"] == [
        "Karin Ek, utvecklingsledare"
    ]
    assert ctx["sendlist"][0] == data.settings.committee
    assert ("Kontroll för", data.settings.committee) in [
        (r["label"], r["value"]) for r in ctx["meta"]
    ]
    assert committee["send_to"][0].startswith("Vård- och omsorgsförvaltningen")
    assert "inför vård- och omsorgsutskottet" in committee["summary"][0]


# --------------------------------------------------------------------------- claims per unit

KINDS = [FindingKind.avvikelse, FindingKind.forbattringsomrade, FindingKind.iakttagelse]


@given(st.lists(st.tuples(st.integers(0, 1), st.sampled_from(KINDS)), max_size=12))
@settings(max_examples=60, deadline=None)
def test_what_is_said_per_unit_is_counted_from_that_units_findings(
    placed: list[tuple[int, FindingKind]],
) -> None:
    """Every per-unit sentence and group of the minutes counts exactly the findings recorded
    for that unit (hypothesis: findings spread at random over two units of two contractors)."""
    owners = [Contractor(name="Omsorg AB", org_nr="1"), Contractor(name="Vård Nord AB", org_nr="2")]
    units = [
        Unit(name="Ekbacken", contractor_id=owners[1].id, kind=UnitKind.sarskilt_boende),
        Unit(name="Solgården", contractor_id=owners[0].id, kind=UnitKind.sarskilt_boende),
    ]
    followup = FollowUp(
        kind=FollowUpKind.riktad, planned_date=DAY, status=FollowUpStatus.pagar, title="Riktad"
    )
    findings = [
        Finding(followup_id=followup.id, kind=kind, title=f"Iakttagelse {n}", unit_id=units[i].id)
        for n, (i, kind) in enumerate(placed)
    ]
    data = FollowUpData(
        followup=followup,
        contractors=owners,
        contract=None,
        units=units,
        assessments={},
        findings=findings,
        actions={},
    )
    lines = per_unit_lines(data)
    groups = {g["unit"]: g["rows"] for g in finding_groups(data)}
    for i, unit in enumerate(units):
        mine = Counter(kind for j, kind in placed if j == i)
        (line,) = [x for x in lines if x.startswith(f"Vid {unit.name} ")]
        if "konstaterades inte några" in line:
            assert not mine, line
            continue
        said = {
            FindingKind.avvikelse: counted(line, "avvikelse", "avvikelser"),
            FindingKind.forbattringsomrade: counted(
                line, "förbättringsområde", "förbättringsområden"
            ),
            FindingKind.iakttagelse: counted(line, "iakttagelse", "iakttagelser"),
        }
        assert said == {k: mine.get(k, 0) for k in KINDS}, line
        label = f"{unit.name} ({owners[1 - i].name})"
        assert len(groups.get(label, [])) == sum(mine.values())
