"""The shipped checklists: every file valid, the counts, the policy's content and its roles."""

import re

import pytest

from audit_app.domain.labels import REASON_LABELS
from audit_app.models import AnswerType, ItemKind, SectionRole, UnitKind
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


STANDARD_LISTS = {
    "ska_krav_sarskilt_boende": UnitKind.sarskilt_boende,
    "ska_krav_hemtjanst": UnitKind.hemtjanst,
    "ska_krav_lss_bostad": UnitKind.lss_bostad,
}
AREAS = [
    "Ledning och kvalitet",
    "Bemanning och kompetens",
    "Individens planering",
    "Avvikelser och klagomål",
    "Hälso- och sjukvård",
    "Resultat och brukarnas upplevelse",
    "Trygghet och säkerhet",
    "Avtal och tillstånd",
]


@pytest.mark.parametrize("stem", sorted(STANDARD_LISTS))
def test_standard_lists_are_specific_grouped_and_for_their_unit_kind(stem: str) -> None:
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    kind = STANDARD_LISTS[stem]
    assert checklist.applies_to == [kind]
    assert [s.title for s in checklist.sections] == AREAS
    assert all(s.role is None for s in checklist.sections)  # a starting point, not an agenda
    items = [i for _, i in checklist.items()]
    assert len(items) >= 30
    assert all(i.guidance and i.clause and i.answer is AnswerType.bedomning for i in items)
    assert all(i.kind in (ItemKind.ska_krav, ItemKind.bor_krav) for i in items)
    assert any(i.kind is ItemKind.bor_krav for i in items)
    assert all(i.applies_to == [kind] for i in items)
    assert len({i.clause for i in items}) == len(items)
    text = " ".join(i.text for i in items)
    for topic in ("genomförandeplan", "lex Sarah", "lex Maria", "Delegering", "brukarundersökning"):
        assert topic in text, topic
    assert "omsorgskontakt" in text if stem == "ska_krav_hemtjanst" else "kontaktperson" in text


@pytest.mark.parametrize("stem", sorted(STANDARD_LISTS))
def test_standard_lists_hold_the_checks_a_domain_reading_found_missing(stem: str) -> None:
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    by_area: dict[str, str] = {}
    for section, item in checklist.items():
        by_area[section.title] = by_area.get(section.title, "") + " " + item.text
    contract = by_area["Avtal och tillstånd"]
    assert "tillstånd från Inspektionen för vård och omsorg (IVO)" in contract
    assert "underleverantörer" in contract and "godkännande" in contract
    assert "När avtalet upphör" in contract and "personakter" in contract
    safety = by_area["Trygghet och säkerhet"]
    assert "Skydds" in safety and "samtycker" in safety
    assert "brand" in safety
    planning = by_area["Individens planering"]
    assert "samordnad individuell plan (SIP)" in planning
    assert "brukarråd" in by_area["Resultat och brukarnas upplevelse"]
    staffing = by_area["Bemanning och kompetens"]
    assert "undersköterska" in staffing and "bevis från Socialstyrelsen" in staffing
    if stem != "ska_krav_lss_bostad":
        assert "lagen (2017:612)" in planning  # discharge from hospital
        assert "skyddad yrkestitel sedan 1 juli 2023" in staffing
    else:
        assert "9 § 9" in checklist.description and "23 § LSS" in contract
        assert "10 § LSS" in planning


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_shipped_lists_cite_the_social_services_act_in_force(stem: str) -> None:
    """SoL (2001:453) was replaced on 1 July 2025 by socialtjänstlagen (2025:400)."""
    checklist = checklists.load_yaml(SHIPPED / f"{stem}.yaml")
    texts = [checklist.description]
    for section, item in checklist.items():
        texts += [section.description, item.text, item.guidance]
    everything = " ".join(texts)
    assert not re.search(r"§§? SoL|SoL \d|\(SoL\)", everything)
    if "socialtjänstlagen" in everything:
        assert "socialtjänstlagen (2025:400)" in everything
    for old in re.finditer(r"socialtjänstlagen \(2001:453\)", everything):
        before = everything[max(0, old.start() - 120) : old.start()]
        assert "före 1 juli 2025" in before, before  # only for what was decided before


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


def test_riktad_uppfoljning_does_not_ask_the_planned_reason_again() -> None:
    checklist = checklists.load_yaml(SHIPPED / "riktad_uppfoljning.yaml")
    # the reason is a field of the plan, one of the policy's six
    for label in REASON_LABELS.values():
        assert label.lower() in checklist.description, label
    assert not any("orsak" in i.text.lower() for _, i in checklist.items())


def test_riktad_uppfoljning_promises_no_re_check_from_an_answer() -> None:
    """A re-check is planned when an avvikelse is confirmed; a "ja" plans nothing."""
    checklist = checklists.load_yaml(SHIPPED / "riktad_uppfoljning.yaml")
    recheck = next(i for _, i in checklist.items() if i.key == "rikt-ateruppfoljning")
    assert recheck.answer is AnswerType.ja_nej
    assert not recheck.text.startswith("Behövs")
    assert "planerar ingenting" in recheck.guidance
    assert "när en avvikelse bekräftas" in recheck.guidance


def test_kvalitetsberattelse_counts_complaints_in_six_categories() -> None:
    checklist = checklists.load_yaml(SHIPPED / "kvalitetsberattelse.yaml")
    complaints = next(s for s in checklist.sections if s.key == "klagomal")
    counted = [i for i in complaints.items if i.answer is AnswerType.tal]
    assert len(counted) == 6 and all(i.unit == "antal" for i in counted)
    assert any(i.key == "kb-sarah-ivo" for _, i in checklist.items())
