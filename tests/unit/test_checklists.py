"""Checklists: the shipped content, the YAML format, versions, diffs and the resolved agenda."""

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import (
    ChecklistVersion,
    Contractor,
    FollowUp,
    FollowUpKind,
    Requirement,
    RequirementKind,
    UnitKind,
)
from audit_app.services import checklists as cl
from tests.conftest import ADMIN, LASARE, REVISOR

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "checklists"

# file stem: (sections, items, SKA-krav, kind)
EXPECTED = {
    "avtalsuppfoljning": (4, 20, 0, "avtal"),
    "ska_krav_sarskilt_boende": (6, 32, 32, "avtal"),
    "ska_krav_hemtjanst": (6, 31, 31, "avtal"),
    "ledningssystem": (5, 16, 0, "ledningssystem"),
    "kvalitetsrevision": (9, 24, 0, "kvalitetsrevision"),
    "bistandsarenden": (3, 27, 0, "bistandsarenden"),
    "riktad_uppfoljning": (4, 13, 0, "riktad"),
    "kvalitetsberattelse": (9, 25, 0, "ledningssystem"),
}

SMALL = """
key: liten
name: Liten checklista
kind: avtal
description: Test.
sections:
  - key: a
    title: Avsnitt A
    items:
      - key: a1
        text: Finns en rutin för avvikelser?
        kind: ska_krav
        clause: "4.1"
      - key: a2
        text: Andel undersköterskor
        answer: tal
        unit: procent
      - key: a3
        text: Nattbemanning enligt avtal
        applies_to: [sarskilt_boende]
  - key: krav
    title: 3. SKA-krav i avtalet
    include_contract_requirements: true
    items:
      - key: k1
        text: Standardkrav om genomförandeplan
        guidance: Stickprov på fem genomförandeplaner.
        kind: ska_krav
        clause: "4.3.1"
        evidence_required: true
      - key: k2
        text: Egen fråga om avvikelser
"""


def small() -> cl.Checklist:
    return cl.load_yaml(SMALL)


# --------------------------------------------------------------------------- shipped content


def test_every_shipped_file_is_listed_here() -> None:
    assert {p.stem for p in SHIPPED.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_shipped_checklist_validates_with_expected_counts(stem: str) -> None:
    checklist = cl.load_yaml(SHIPPED / f"{stem}.yaml")
    sections, items, ska, kind = EXPECTED[stem]
    assert checklist.key == stem
    assert checklist.kind.value == kind
    assert len(checklist.sections) == sections
    assert checklist.item_count() == items
    assert sum(i.kind is cl.ItemKind.ska_krav for _, i in checklist.items()) == ska
    assert "Källor:" in checklist.description
    assert "seeds/" in checklist.description
    # Survives the YAML writer unchanged.
    assert cl.load_yaml(cl.dump_yaml(checklist)) == checklist


@pytest.mark.parametrize("stem", ["ska_krav_sarskilt_boende", "ska_krav_hemtjanst"])
def test_ska_krav_lists_are_specific_and_grouped(stem: str) -> None:
    checklist = cl.load_yaml(SHIPPED / f"{stem}.yaml")
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
    assert all(i.guidance and i.clause and i.answer is cl.AnswerType.bedomning for i in items)
    assert len({i.clause for i in items}) == len(items)
    text = " ".join(i.text for i in items)
    for topic in ("genomförandeplan", "lex Sarah", "lex Maria", "Delegering", "brukarundersökning"):
        assert topic in text, topic
    assert "omsorgskontakt" in text if stem == "ska_krav_hemtjanst" else "kontaktperson" in text


def test_avtalsuppfoljning_follows_the_four_point_agenda() -> None:
    checklist = cl.load_yaml(SHIPPED / "avtalsuppfoljning.yaml")
    assert [s.title[:2] for s in checklist.sections] == ["1.", "2.", "3.", "4."]
    flagged = [s.key for s in checklist.sections if s.include_contract_requirements]
    assert flagged == ["ska-krav"]
    staffing = " ".join(i.text for i in checklist.sections[1].items)
    assert "två veckorna" in staffing and "Personaltätheten" in staffing
    assert "kompetens" in staffing
    assert "tre månader" in " ".join(i.text for i in checklist.sections[3].items)


def test_bistandsarenden_has_three_cases_with_reference_and_four_questions() -> None:
    checklist = cl.load_yaml(SHIPPED / "bistandsarenden.yaml")
    assert [s.title for s in checklist.sections] == ["Ärende 1", "Ärende 2", "Ärende 3"]
    for n, section in enumerate(checklist.sections, start=1):
        by_key = {i.key: i for i in section.items}
        reference = by_key[f"arende{n}-referens"]
        assert reference.answer is cl.AnswerType.text
        assert "aldrig personnummer" in reference.guidance
        for part in ("bakgrund", "bedomning", "beslut"):
            assert by_key[f"arende{n}-{part}"].answer is cl.AnswerType.bedomning
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
    checklist = cl.load_yaml(SHIPPED / "riktad_uppfoljning.yaml")
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
    checklist = cl.load_yaml(SHIPPED / "kvalitetsberattelse.yaml")
    complaints = next(s for s in checklist.sections if s.key == "klagomal")
    counted = [i for i in complaints.items if i.answer is cl.AnswerType.tal]
    assert len(counted) == 6 and all(i.unit == "antal" for i in counted)
    assert any(i.key == "kb-sarah-ivo" for _, i in checklist.items())


def test_schema_file_is_the_generated_schema() -> None:
    assert (SHIPPED / "schema.json").read_text(encoding="utf-8") == cl.schema_text()
    schema = cl.json_schema()
    assert schema["required"] == ["key", "name", "kind", "sections"]
    assert schema["$defs"]["Item"]["properties"]["kind"]["$ref"].endswith("ItemKind")


# --------------------------------------------------------------------------- format


def test_yaml_errors_name_item_key_and_field_all_at_once() -> None:
    broken = (
        SMALL.replace('kind: ska_krav\n        clause: "4.1"', "kind: skakrav")
        .replace("key: a2", "key: a1")
        .replace("unit: procent", "unit: ''")
    )
    with pytest.raises(ValidationFailed) as exc:
        cl.load_yaml(broken)
    messages = [e.message for e in exc.value.errors]
    assert (
        'Fråga "a1" i avsnitt "a", fält "kind": "skakrav" är ingen giltig typ. Välj ska_krav, '
        "bor_krav eller fraga." in messages
    )
    assert any(
        m.startswith('Fråga "a1" i avsnitt "a", fält "key": Id "a1" används redan')
        for m in messages
    )
    assert any('fält "unit": Ange en enhet för svarstypen tal' in m for m in messages)
    assert len(messages) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("text: Andel undersköterskor", "text: '   '"), 'fält "text": Texten är tom'),
        (("key: a3", "key: A 3"), '"A 3" är inget giltigt id'),
        (("key: a3", "key: krav-a3"), "reserverade för avtalets egna krav"),
        (
            ("applies_to: [sarskilt_boende]", "applies_to: [boende]"),
            '"boende" är ingen giltig enhetstyp',
        ),
        (("description: Test.", "beskrivning: Test."), 'Okänt fält "beskrivning"'),
        (("kind: avtal", "kind: tillsyn"), '"tillsyn" är ingen giltig uppföljningstyp'),
        (("text: Nattbemanning enligt avtal", "text: Boende 19121212-1212"), "personnummer"),
        (
            ("answer: tal\n        unit: procent", "answer: ja_nej\n        unit: procent"),
            "Enhet anges bara",
        ),
    ],
)
def test_each_format_error_has_a_swedish_message(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cl.load_yaml(SMALL.replace(*change))
    assert expected in exc.value.message


def test_yaml_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(ValidationFailed) as exc:
        cl.load_yaml("key: a\nname: [oavslutad\nkind: avtal\n")
    assert exc.value.message.startswith("Rad ")
    assert "YAML-texten kan inte läsas" in exc.value.message


def test_lenient_spellings_are_normalised() -> None:
    text = SMALL.replace(
        'kind: ska_krav\n        clause: "4.1"', "kind: SKA-krav\n        clause: 4.1"
    )
    checklist = cl.load_yaml(
        text.replace("applies_to: [sarskilt_boende]", "applies_to: Särskilt boende")
    )
    first = checklist.sections[0].items[0]
    assert (first.kind, first.clause) == (cl.ItemKind.ska_krav, "4.1")
    assert checklist.sections[0].items[2].applies_to == [UnitKind.sarskilt_boende]


def test_dump_yaml_keeps_the_format_order_and_unicode() -> None:
    text = cl.dump_yaml(small())
    assert text.splitlines()[:5] == [
        "# yaml-language-server: $schema=schema.json",
        "key: liten",
        "name: Liten checklista",
        "version: 1",
        "kind: avtal",
    ]
    assert "\\u" not in text and "undersköterskor" in text
    assert (
        "    items:\n"
        "      - key: a1\n"
        "        text: Finns en rutin för avvikelser?\n"
        "        kind: ska_krav\n"
        "        clause: '4.1'\n"
        "        answer: bedomning\n"
    ) in text
    assert "guidance: Stickprov på fem genomförandeplaner.\n" in text
    assert "evidence_required: true" in text
    assert "applies_to:\n          - sarskilt_boende\n" in text


# --------------------------------------------------------------------------- diff


def test_diff_reports_added_removed_reworded_moved_and_changed() -> None:
    old = small()
    data = cl.content_of(old)
    items_a = data["sections"][0]["items"]
    items_b = data["sections"][1]["items"]
    items_a[0]["text"] = "Finns en skriftlig rutin för avvikelser?"  # reworded
    items_a[1]["unit"] = "andel"  # changed
    moved = items_a.pop(2)  # a3 moves to the other section
    items_b.append(moved)
    items_b.pop(1)  # k2 removed
    items_a.append({"key": "a4", "text": "Ny fråga"})  # added
    new = cl.validate_checklist(data)

    result = cl.diff(old, new)
    assert [c.key for c in result.added] == ["a4"]
    assert [(c.key, c.old_text) for c in result.removed] == [("k2", "Egen fråga om avvikelser")]
    assert [(c.key, c.new_text) for c in result.reworded] == [
        ("a1", "Finns en skriftlig rutin för avvikelser?")
    ]
    assert [(c.key, c.details) for c in result.moved] == [
        ("a3", ('från "Avsnitt A" till "3. SKA-krav i avtalet"',))
    ]
    assert [(c.key, c.details) for c in result.changed] == [("a2", ('enhet: "procent" → "andel"',))]
    assert result.summary() == ("1 ny, 1 borttagen, 1 omformulerad, 1 flyttad, 1 ändrad i övrigt")
    assert cl.diff(old, old).is_empty
    assert cl.diff(old, old).summary() == "inga skillnader"


def test_diff_detects_reordering_within_a_section() -> None:
    old = small()
    data = cl.content_of(old)
    items = data["sections"][0]["items"]
    items.insert(0, items.pop(2))
    result = cl.diff(old, cl.validate_checklist(data))
    assert [(c.key, c.details) for c in result.moved] == [("a3", ("ny plats i avsnittet",))]
    assert not result.added and not result.removed


# --------------------------------------------------------------------------- agenda


def _req(
    clause: str, text: str, kind: RequirementKind = RequirementKind.ska, **kw: object
) -> Requirement:
    return Requirement(contract_id=uuid.uuid4(), clause=clause, text=text, kind=kind, **kw)  # type: ignore[arg-type]


def test_build_agenda_resolves_items_and_contract_requirements() -> None:
    replaces = _req(
        "4.3.1", "Genomförandeplan ska upprättas inom 14 dagar.", position=2, area="Planering"
    )
    bor = _req("6.1", "Utföraren bör erbjuda anhörigträffar.", RequirementKind.bor, position=1)
    no_clause = _req("", "Utföraren ska ha kollektivavtal.", position=3)
    archived = _req("9.9", "Gammalt krav", position=4, archived=True)
    agenda = cl.build_agenda(
        cl.content_of(small()), [replaces, no_clause, bor, archived], [UnitKind.hemtjanst]
    )
    assert [a["key"] for a in agenda] == [
        "a1",
        "a2",
        "krav-4.3.1",
        "k2",
        "krav-6.1",
        f"krav-{no_clause.id}",
    ]  # a3 only applies to särskilt boende
    first = agenda[0]
    assert first == {
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
    }
    contract = agenda[2]
    assert contract["text"] == "Genomförandeplan ska upprättas inom 14 dagar."
    assert contract["guidance"] == "Stickprov på fem genomförandeplaner."  # kept from the checklist
    assert (contract["source"], contract["requirement_id"]) == ("contract", str(replaces.id))
    assert (contract["section_key"], contract["area"], contract["evidence_required"]) == (
        "krav",
        "Planering",
        True,
    )
    assert agenda[4]["kind"] == "bor_krav"


def test_build_agenda_without_unit_kinds_keeps_every_item() -> None:
    agenda = cl.build_agenda(small())
    assert [a["key"] for a in agenda] == ["a1", "a2", "a3", "k1", "k2"]
    with_sb = cl.build_agenda(small(), [], ["sarskilt_boende"])
    assert "a3" in [a["key"] for a in with_sb]


def test_duplicate_requirement_clauses_get_id_keys() -> None:
    one, two = _req("7.1", "Första", position=1), _req("7.1", "Andra", position=2)
    keys = [a["key"] for a in cl.build_agenda(small(), [one, two])][-2:]
    assert keys == ["krav-7.1", f"krav-{two.id}"]


def test_validate_answer_checks_types_and_refuses_personnummer() -> None:
    assert cl.validate_answer({"answer": "ja_nej"}, " Ja ") == "ja"
    assert cl.validate_answer({"answer": "tal"}, "0,75") == "0.75"
    assert cl.validate_answer({"answer": "datum"}, "2026-11-22") == "2026-11-22"
    assert cl.validate_answer({"answer": "text"}, "VO 2026/123") == "VO 2026/123"
    for item, value in (
        ({"answer": "ja_nej"}, "kanske"),
        ({"answer": "tal"}, "många"),
        ({"answer": "datum"}, "22/11"),
        ({"answer": "text", "key": "arende1-referens"}, "19121212-1212"),
    ):
        with pytest.raises(ValidationFailed):
            cl.validate_answer(item, value)


# --------------------------------------------------------------------------- versions


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def test_sync_shipped_is_idempotent_and_composes_the_ska_lists(session: Session) -> None:
    result = cl.sync_shipped(session, ADMIN)
    session.commit()
    assert result.errors == []
    keys = {cv.key for cv in result.created}
    assert keys == set(EXPECTED) | {
        "avtalsuppfoljning.sarskilt_boende",
        "avtalsuppfoljning.hemtjanst",
    }
    assert cl.sync_shipped(session, ADMIN).created == []
    assert _count(session) == len(keys)

    composed = cl.checklist_for_kind(session, FollowUpKind.avtal, UnitKind.sarskilt_boende)
    assert composed is not None and composed.key == "avtalsuppfoljning.sarskilt_boende"
    assert composed.source == "Sammansatt av avtalsuppfoljning v1 + ska_krav_sarskilt_boende v1"
    section3 = [
        a
        for a in cl.build_agenda(composed.content, [], [UnitKind.sarskilt_boende])
        if a["section_key"] == "ska-krav"
    ]
    assert len(section3) == 2 + 32
    assert section3[2]["key"] == "sb-led-01" and section3[2]["area"] == "Ledning och kvalitet"

    lss = cl.checklist_for_kind(session, "avtal", "lss_bostad")
    assert lss is not None and lss.key == "avtalsuppfoljning"
    for kind, key in [
        ("ledningssystem", "ledningssystem"),
        ("kvalitetsrevision", "kvalitetsrevision"),
        ("riktad", "riktad_uppfoljning"),
        ("bistandsarenden", "bistandsarenden"),
    ]:
        found = cl.checklist_for_kind(session, kind)
        assert found is not None and found.key == key
    assert cl.checklist_for_kind(session, "ateruppfoljning") is None


def test_sync_reports_a_broken_file_and_keeps_the_others(session: Session, tmp_path: Path) -> None:
    (tmp_path / "liten.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "trasig.yaml").write_text("key: trasig\nname: T\nkind: avtal\nsections: []\n")
    result = cl.sync_shipped(session, ADMIN, tmp_path)
    assert [cv.key for cv in result.created] == ["liten"]
    assert result.errors == [
        'trasig.yaml: Fält "sections": Checklistan har inga avsnitt. Lägg till '
        "minst ett avsnitt med frågor."
    ]


def test_import_creates_a_new_version_and_never_changes_the_old(session: Session) -> None:
    first = cl.import_version(session, REVISOR, small(), "test")
    data = cl.content_of(small())
    data["sections"][0]["items"][0]["text"] = "Omformulerad fråga"
    second = cl.import_version(session, REVISOR, cl.validate_checklist(data), "test 2")
    session.commit()
    assert (first.version, second.version) == (1, 2)
    assert second.content["version"] == 2 and second.created_by_id == REVISOR.user_id
    assert cl.get_version(session, first.id).content["sections"][0]["items"][0]["text"] == (
        "Finns en rutin för avvikelser?"
    )
    assert [v.version for v in cl.list_versions(session, "liten")] == [2, 1]
    latest = cl.latest(session, "liten")
    assert latest is not None and latest.id == second.id
    with pytest.raises(cl.ChecklistUnchanged) as exc:
        cl.import_version(session, REVISOR, cl.validate_checklist(data), "samma igen")
    assert exc.value.version == 2
    assert _count(session) == 2


def test_import_is_refused_for_readers_and_composed_keys(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        cl.import_version(session, LASARE, small(), "test")
    composed = small().model_copy(update={"key": "avtalsuppfoljning.hemtjanst"})
    with pytest.raises(ValidationFailed, match="sätts samman automatiskt"):
        cl.import_version(session, ADMIN, composed, "test")
    assert _count(session) == 0


def test_followup_pinned_to_version_1_keeps_its_items_after_version_2(session: Session) -> None:
    cl.sync_shipped(session, ADMIN)
    v1 = cl.checklist_for_kind(session, "avtal", "sarskilt_boende")
    assert v1 is not None
    contractor = Contractor(name="Omsorg AB", org_nr="556000-0000")
    session.add(contractor)
    followup = FollowUp(
        kind=FollowUpKind.avtal,
        contractor_id=contractor.id,
        planned_date=date(2026, 11, 22),
        checklist_version_id=v1.id,
    )
    session.add(followup)
    session.commit()
    before = cl.build_agenda(cl.get_version(session, followup.checklist_version_id).content)

    ska = cl.load_yaml(SHIPPED / "ska_krav_sarskilt_boende.yaml")
    data = cl.content_of(ska)
    data["sections"][0]["items"][0]["text"] = "Ändrat krav om ledningssystem."
    data["sections"][0]["items"].append(
        {"key": "sb-led-07", "text": "Nytt krav om informationssäkerhet.", "kind": "ska_krav"}
    )
    cl.import_version(session, REVISOR, cl.validate_checklist(data), "ny version")
    session.commit()

    v2 = cl.checklist_for_kind(session, "avtal", "sarskilt_boende")
    assert v2 is not None and (v1.key, v1.version, v2.key, v2.version) == (v2.key, 1, v1.key, 2)
    pinned = session.get(FollowUp, followup.id)
    assert pinned is not None
    after = cl.build_agenda(cl.get_version(session, pinned.checklist_version_id).content)
    assert after == before
    assert "sb-led-07" not in [a["key"] for a in after]
    newest = [a["key"] for a in cl.build_agenda(v2.content)]
    assert "sb-led-07" in newest
    assert (
        cl.diff(v1.content, v2.content).summary()
        == "1 ny, 1 omformulerad, 1 ändring av uppgifter om checklistan"
    )


def test_sync_never_reverts_an_edit_but_takes_an_updated_file(
    session: Session, tmp_path: Path
) -> None:
    (tmp_path / "liten.yaml").write_text(SMALL, encoding="utf-8")
    cl.sync_shipped(session, ADMIN, tmp_path)
    data = cl.content_of(small())
    data["name"] = "Ändrad i appen"
    cl.import_version(session, REVISOR, cl.validate_checklist(data), "uppladdad fil")
    assert cl.sync_shipped(session, ADMIN, tmp_path).created == []
    latest = cl.latest(session, "liten")
    assert latest is not None and (latest.version, latest.name) == (2, "Ändrad i appen")

    (tmp_path / "liten.yaml").write_text(SMALL.replace("Liten checklista", "Ny utgåva"), "utf-8")
    created = cl.sync_shipped(session, ADMIN, tmp_path).created
    assert [(cv.key, cv.version, cv.name) for cv in created] == [("liten", 3, "Ny utgåva")]
    assert [v.version for v in cl.list_versions(session, "liten")] == [3, 2, 1]
