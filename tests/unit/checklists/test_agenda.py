"""A follow-up's agenda: typed items from the pinned checklist version and the contract."""

import uuid
from datetime import date

import pytest
from sqlmodel import Session

from audit_app.domain.agenda import AgendaItem, ItemSource, parse_agenda, section_with_role
from audit_app.errors import ValidationFailed
from audit_app.models import (
    AnswerType,
    FollowUp,
    FollowUpKind,
    ItemKind,
    Requirement,
    RequirementKind,
    SectionRole,
    UnitKind,
)
from audit_app.services import checklists, followups, registers
from tests.conftest import ADMIN, REVISOR
from tests.unit.checklists.fixtures import small


def _req(
    clause: str, text: str, kind: RequirementKind = RequirementKind.ska, **kw: object
) -> Requirement:
    return Requirement(contract_id=uuid.uuid4(), clause=clause, text=text, kind=kind, **kw)  # type: ignore[arg-type]


def test_point_3_is_exactly_the_contracts_own_requirements() -> None:
    own = _req(
        "4.3.1",
        "Genomförandeplan ska upprättas inom 14 dagar.",
        position=2,
        area="Planering",
        hint="Stickprov på fem planer.",
    )
    bor = _req("6.1", "Utföraren bör erbjuda anhörigträffar.", RequirementKind.bor, position=1)
    no_clause = _req("", "Utföraren ska ha kollektivavtal.", position=3)
    archived = _req("9.9", "Gammalt krav", position=4, archived=True)
    nights = _req("5.2", "Två vakna nattpersonal.", position=5, applies_to=["sarskilt_boende"])
    agenda = checklists.build_agenda(
        checklists.content_of(small()),
        [own, no_clause, bor, archived, nights],
        [UnitKind.hemtjanst],
    )
    assert all(isinstance(item, AgendaItem) for item in agenda)
    # a3 only applies to särskilt boende; point 3 holds the section's questions, then the
    # contract's own requirements in the contract's order; the night requirement concerns
    # särskilt boende only.
    assert [a.key for a in agenda] == [
        "a1",
        "a2",
        "k1",
        "k2",
        "krav-6.1",
        "krav-4.3.1",
        f"krav-{no_clause.id}",
    ]
    assert agenda[0].as_json() == {
        "key": "a1",
        "section_key": "a",
        "section_title": "Avsnitt A",
        "section_role": None,
        "text": "Finns en rutin för avvikelser?",
        "guidance": "",
        "kind": "ska_krav",
        "clause": "4.1",
        "answer": "bedomning",
        "unit": "",
        "evidence_required": False,
        "area": "Avsnitt A",
        "source": "checklist",
        "requirement_id": None,
        "measure": None,
    }
    contract = agenda[5]
    assert contract.text == "Genomförandeplan ska upprättas inom 14 dagar."  # the contract's words
    assert contract.guidance == "Stickprov på fem planer."  # the requirement's own hint
    assert (contract.source, contract.requirement_id) == (ItemSource.contract, own.id)
    assert contract.as_json()["requirement_id"] == str(own.id)
    assert (contract.section_key, contract.section_role) == ("krav", SectionRole.requirements)
    assert contract.area == "Planering"
    assert agenda[4].kind is ItemKind.bor_krav
    with_sb = checklists.build_agenda(small(), [nights], [UnitKind.sarskilt_boende])
    assert "krav-5.2" in [a.key for a in with_sb]
    # Stored as JSON, read back as the same typed items.
    assert parse_agenda([a.as_json() for a in agenda]) == agenda


def test_build_agenda_without_unit_kinds_keeps_every_item() -> None:
    agenda = checklists.build_agenda(small())
    assert [a.key for a in agenda] == ["a1", "a2", "a3", "k1", "k2"]
    with_sb = checklists.build_agenda(small(), [], ["sarskilt_boende"])
    assert "a3" in [a.key for a in with_sb]


def test_duplicate_requirement_clauses_get_id_keys() -> None:
    one, two = _req("7.1", "Första", position=1), _req("7.1", "Andra", position=2)
    keys = [a.key for a in checklists.build_agenda(small(), [one, two])][-2:]
    assert keys == ["krav-7.1", f"krav-{two.id}"]


def test_answers_of_the_built_items_are_checked_and_normalised() -> None:
    content = checklists.content_of(small())
    content["sections"][0]["items"] += [
        {"key": "b1", "text": "Finns en rutin?", "answer": "ja_nej"},
        {"key": "b2", "text": "Senaste revision", "answer": "datum"},
        {"key": "b3", "text": "Ärendets referens", "answer": "text"},
    ]
    items = {a.key: a for a in checklists.build_agenda(content)}
    assert items["a1"].is_assessment() and not items["a2"].is_assessment()
    assert items["b1"].normalise_answer(" Ja ") == "ja"
    assert items["a2"].normalise_answer("0,75") == "0.75"
    # stored with a point, shown with a comma, and the comma reads back to the same value
    assert items["a2"].shown_answer("0.75") == "0,75"
    assert items["a2"].normalise_answer(items["a2"].shown_answer("0.75")) == "0.75"
    assert items["b2"].shown_answer("2026-11-22") == "2026-11-22"
    assert items["b2"].normalise_answer("2026-11-22") == "2026-11-22"
    assert items["b3"].normalise_answer("VO 2026/123") == "VO 2026/123"
    for key, value in (("b1", "kanske"), ("a2", "många"), ("b2", "22/11")):
        with pytest.raises(ValidationFailed, match=f"Svaret på '{key}' ska vara"):
            items[key].normalise_answer(value)


def _contractor_with_unit(session: Session, kind: UnitKind) -> tuple[uuid.UUID, uuid.UUID]:
    contractor = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    unit = registers.save_unit(
        session, REVISOR, registers.UnitInput(contractor.id, "Solgården", kind, 20)
    )
    return contractor.id, unit.id


def test_agenda_for_followup_pins_the_checklist_and_takes_the_contracts_requirements(
    session: Session,
) -> None:
    checklists.sync_shipped(session, ADMIN)
    contractor_id, unit_id = _contractor_with_unit(session, UnitKind.sarskilt_boende)
    contract = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2026/1", "Drift", contractor_id, date(2025, 1, 1), date(2029, 1, 1), [unit_id]
        ),
    )
    registers.save_requirements(
        session,
        REVISOR,
        contract.id,
        [
            registers.RequirementInput("4.1.1", "Ledningssystem enligt avtalet."),
            registers.RequirementInput("12.3", "Eget krav i avtalet.", RequirementKind.bor),
        ],
    )
    planned = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=contractor_id,
            unit_ids=[unit_id],
            contract_id=contract.id,
            planned_date=date(2026, 11, 22),
        ),
    )
    followup = session.get(FollowUp, planned.id)
    assert followup is not None and followup.checklist_version_id is None

    stored = checklists.agenda_for_followup(session, followup)

    pinned = checklists.checklist_for_kind(session, FollowUpKind.avtal)
    assert pinned is not None and followup.checklist_version_id == pinned.id
    assert pinned.key == "avtalsuppfoljning"  # never a list merged with a standard list
    items = parse_agenda(stored)
    assert stored == [i.as_json() for i in items]
    section = section_with_role(items, SectionRole.requirements)
    assert section is not None and section.key == "ska-krav"
    requirements = [i for i in section.items if i.is_requirement]
    assert [(i.clause, i.text) for i in requirements] == [
        ("4.1.1", "Ledningssystem enligt avtalet."),
        ("12.3", "Eget krav i avtalet."),
    ]
    assert all(i.source is ItemSource.contract for i in requirements)
    assert not any(i.key.startswith("sb-") for i in items)  # nothing from the standard list
    assert section_with_role(items, SectionRole.staffing) is not None


def test_a_started_followup_refuses_a_personnummer_as_an_answer(session: Session) -> None:
    checklists.sync_shipped(session, ADMIN)
    _contractor_with_unit(session, UnitKind.hemtjanst)
    planned = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.bistandsarenden,
            contractor_id=None,  # the committee's own check
            planned_date=date(2026, 11, 22),
        ),
    )
    followup = followups.start_followup(session, REVISOR, planned.id)
    item = followups.agenda_item(followup, "arende1-referens")
    assert item.answer is AnswerType.text
    with pytest.raises(ValidationFailed, match="personnummer"):
        followups.save_assessment(
            session, REVISOR, followup.id, "arende1-referens", value="19121212-1212"
        )
    saved = followups.save_assessment(
        session, REVISOR, followup.id, "arende1-referens", value="Ärende A"
    )
    assert saved.value == "Ärende A"
