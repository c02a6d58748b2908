"""The shipped checklists: every file valid, the counts, the policy's content and its roles."""

import pytest

from audit_app.models import AnswerType, ItemKind, SectionRole
from audit_app.services import checklists
from tests.unit.checklists.fixtures import EXPECTED, SHIPPED


def test_every_shipped_file_is_listed_here() -> None:
    assert {p.stem for p in SHIPPED.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_shipped_checklist_validates_with_expected_counts(stem: str) -> None:
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    sections, items, ska, kind = EXPECTED[stem]
    assert checklist.key == stem
    assert checklist.kind.value == kind
    assert len(checklist.sections) == sections
    assert checklist.item_count() == items
    assert sum(i.kind is ItemKind.ska_krav for _, i in checklist.items()) == ska
    assert "Källor:" in checklist.description
    assert "seeds/" in checklist.description
    # Survives the YAML writer unchanged.
    assert checklists.load_yaml(checklists.dump_yaml(checklist)) == checklist


@pytest.mark.parametrize("stem", ["ska_krav_sarskilt_boende", "ska_krav_hemtjanst"])
def test_ska_krav_lists_are_specific_and_grouped(stem: str) -> None:
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    assert [s.title for s in checklist.sections] == [
        "Ledning och kvalitet",
        "Bemanning och kompetens",
        "Individens planering",
        "Avvikelser och klagomål",
        "Hälso- och sjukvård",
        "Resultat",
    ]
    items = [i for _, i in checklist.items()]
    assert len(items) >= 25
    assert all(i.guidance and i.clause and i.answer is AnswerType.bedomning for i in items)
    assert len({i.clause for i in items}) == len(items)
    text = " ".join(i.text for i in items)
    for topic in ("genomförandeplan", "lex Sarah", "lex Maria", "Delegering", "brukarundersökning"):
        assert topic in text, topic
    assert "omsorgskontakt" in text if stem == "ska_krav_hemtjanst" else "kontaktperson" in text


def test_avtalsuppfoljning_follows_the_four_point_agenda() -> None:
    checklist = checklists.load_yaml(SHIPPED / "avtalsuppfoljning.yaml")
    assert [s.title[:2] for s in checklist.sections] == ["1.", "2.", "3.", "4."]
    assert [s.role for s in checklist.sections] == [
        SectionRole.previous,
        SectionRole.staffing,
        SectionRole.requirements,
        SectionRole.action_plan,
    ]
    requirements = checklist.section_with_role(SectionRole.requirements)
    assert requirements is not None and requirements.key == "ska-krav"
    staffing = " ".join(i.text for i in checklist.sections[1].items)
    assert "två veckorna" in staffing and "Personaltätheten" in staffing
    assert "kompetens" in staffing
    assert "tre månader" in " ".join(i.text for i in checklist.sections[3].items)


# The sections of the shipped checklists that play a role in the agenda; every other is plain.
ROLES = {
    "avtalsuppfoljning": {
        "foregaende": SectionRole.previous,
        "bemanning": SectionRole.staffing,
        "ska-krav": SectionRole.requirements,
        "atgardsplan": SectionRole.action_plan,
    },
    "riktad_uppfoljning": {"iakttagelser": SectionRole.findings},
    "kvalitetsrevision": {"sammanfattning": SectionRole.findings},
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_shipped_sections_declare_their_roles(stem: str) -> None:
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    declared = {s.key: s.role for s in checklist.sections if s.role is not None}
    assert declared == ROLES.get(stem, {})


def test_bistandsarenden_has_three_cases_with_reference_and_four_questions() -> None:
    checklist = checklists.load_yaml(SHIPPED / "bistandsarenden.yaml")
    assert [s.title for s in checklist.sections] == ["Ärende 1", "Ärende 2", "Ärende 3"]
    for n, section in enumerate(checklist.sections, start=1):
        by_key = {i.key: i for i in section.items}
        reference = by_key[f"arende{n}-referens"]
        assert reference.answer is AnswerType.text
        assert "aldrig personnummer" in reference.guidance
        for part in ("bakgrund", "bedomning", "beslut"):
            assert by_key[f"arende{n}-{part}"].answer is AnswerType.bedomning
        questions = [
            by_key[f"arende{n}-{q}"].text for q in ("erhallit", "ratt-insats", "effekt", "nojd")
        ]
        assert questions == [
            "Har den enskilde erhållit de insatser som beslutades om?",
            "Beviljades rätt insatser i rätt omfattning i rätt tid?",
            "Har insatserna haft avsedd effekt?",
            "Är den enskilde nöjd med utförandet av insatserna?",
        ]


def test_riktad_uppfoljning_records_one_of_the_six_reasons() -> None:
    checklist = checklists.load_yaml(SHIPPED / "riktad_uppfoljning.yaml")
    reason = next(i for _, i in checklist.items() if i.key == "rikt-orsak")
    for phrase in (
        "politiskt beslut",
        "ledningsgrupp",
        "önskemål",
        "inför upphandling",
        "förlängning av avtal",
        "resultat i kvalitetsrevision",
    ):
        assert phrase in reason.guidance


def test_kvalitetsberattelse_counts_complaints_in_six_categories() -> None:
    checklist = checklists.load_yaml(SHIPPED / "kvalitetsberattelse.yaml")
    complaints = next(s for s in checklist.sections if s.key == "klagomal")
    counted = [i for i in complaints.items if i.answer is AnswerType.tal]
    assert len(counted) == 6 and all(i.unit == "antal" for i in counted)
    assert any(i.key == "kb-sarah-ivo" for _, i in checklist.items())
