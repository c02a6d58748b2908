"""Staffing analyses in the database: no names stored, breaches -> findings, locks, bad input."""

import hashlib
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from audit_app.errors import Locked, PermissionDenied, ValidationFailed
from audit_app.models import (
    ChangeLog,
    Contract,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    RequirementKind,
    ScheduleMapping,
    StaffingAnalysis,
    UnitKind,
)
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.services import staffing_store as ss
from audit_app.services.staffing import RulesError, ScheduleError, load_rules
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.staffing_fixtures import (
    RULES_YAML,
    SCENARIO_BREACHES,
    SCENARIO_NAMES,
    plain_frame,
    write_csv_style_b,
    write_xlsx_style_a,
)

AGENDA: list[dict[str, Any]] = [
    {
        "key": "bem-personaltathet",
        "section_key": "bemanning",
        "section_title": "2. Aktuell personalsituation",
        "text": "Personaltätheten motsvarar åtagandet.",
        "kind": "fraga",
        "clause": "",
        "area": "2. Aktuell personalsituation",
        "source": "checklist",
        "answer": "ja_nej",
    },
    {
        "key": "krav-4.2.2",
        "section_key": "ska-krav",
        "section_title": "3. SKA-krav",
        "text": "Minst 90 procent av omsorgspersonalen ska vara undersköterskor.",
        "kind": "ska_krav",
        "clause": "4.2.2",
        "area": "Kompetens",
        "source": "contract",
        "answer": "bedomning",
    },
    {
        "key": "krav-5.1.1",
        "section_key": "ska-krav",
        "section_title": "3. SKA-krav",
        "text": "Bemanningen ska motsvara åtagandet i bilaga 3 (personaltäthet per avdelning).",
        "kind": "ska_krav",
        "clause": "5.1.1",
        "area": "Bemanning och kompetens",
        "source": "contract",
        "answer": "bedomning",
    },
]


def _builder(_session: Session, _f: FollowUp) -> list[dict[str, Any]]:
    return [dict(i) for i in AGENDA]


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    c = reg.save_contractor(session, REVISOR, reg.ContractorInput("Omsorg AB", "556782-3413"))
    u = reg.save_unit(
        session,
        REVISOR,
        reg.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20, ["Avd Lärkan", "Avd Måsen"]),
    )
    k = reg.save_contract(
        session,
        REVISOR,
        reg.ContractInput("VOF 2026/1", "Drift", c.id, date(2025, 1, 1), date(2029, 1, 1), [u.id]),
    )
    ss.save_rules_yaml(session, REVISOR, k.id, RULES_YAML)
    f = fu.plan_followup(
        session,
        REVISOR,
        fu.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=c.id,
            unit_ids=[u.id],
            contract_id=k.id,
            planned_date=date(2026, 11, 10),
            participants=[fu.Participant("Maria Holm", "Verksamhetschef", "utforare")],
        ),
    )
    fu.start_followup(session, REVISOR, f.id, builder=_builder)
    session.commit()
    return {"contractor": c.id, "unit": u.id, "contract": k.id, "followup": f.id}


def _rules(session: Session, setup: dict[str, Any]) -> Any:
    rules = ss.rules_for(session, setup["contract"], "solgården")  # name matched loosely
    assert rules is not None
    return rules


def _store(session: Session, setup: dict[str, Any], path: Path, **kw: Any) -> StaffingAnalysis:
    analysis = ss.save_analysis(
        session,
        REVISOR,
        setup["followup"],
        path.name,
        path.read_bytes(),
        kw.pop("rules", None) or _rules(session, setup),
        kw.pop("mapping", None),
    )
    session.commit()
    return analysis


def _count(session: Session, model: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


# --------------------------------------------------------------------------- storing


@pytest.mark.parametrize("writer", [write_xlsx_style_a, write_csv_style_b])
def test_no_name_of_the_schedule_reaches_the_database_file(
    session: Session,
    engine: Engine,
    setup: dict[str, Any],
    tmp_path: Path,
    writer: Any,
) -> None:
    suffix = ".xlsx" if writer is write_xlsx_style_a else ".csv"
    path = writer(tmp_path / f"schema{suffix}")
    analysis = _store(session, setup, path)

    result = analysis.result
    assert result["breaches"] == SCENARIO_BREACHES
    assert result["distinct_people"] == 12
    assert result["shifts"] == 27
    assert (analysis.period_from, analysis.period_to) == (date(2026, 11, 2), date(2026, 11, 4))
    assert analysis.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert analysis.unit_id == setup["unit"]
    assert len(result["periods"]) == 2 * 3 * 2  # sections x days x periods
    assert analysis.rules == load_rules(RULES_YAML).model_dump(mode="json")
    notes = session.get(FollowUp, setup["followup"]).notes  # type: ignore[union-attr]
    assert notes["personaltathet"].startswith("Dag 0,27 · Natt 0,08 i tjänst per plats")
    assert notes["narvarande_kompetens"].startswith("72 % av timmarna med kompetent personal")

    session.close()
    engine.dispose()  # checkpoints the WAL into the database file
    files = sorted(tmp_path.glob("test.db*"))
    assert files and files[0].name == "test.db"
    raw = b"".join(p.read_bytes() for p in files).lower()
    assert len(raw) > 10_000
    for name in SCENARIO_NAMES:
        for encoding in ("utf-8", "utf-16-le"):
            assert name.lower().encode(encoding) not in raw, name
    assert "avd lärkan".encode() in raw  # the search itself works


def test_bad_file_stores_nothing(session: Session, setup: dict[str, Any], tmp_path: Path) -> None:
    before = (_count(session, StaffingAnalysis), _count(session, ChangeLog))
    notes = dict(session.get(FollowUp, setup["followup"]).notes)  # type: ignore[union-attr]
    broken = tmp_path / "schema.xlsx"
    broken.write_bytes(b"not a workbook at all")
    with pytest.raises(ScheduleError) as err:
        _store(session, setup, broken, mapping={"role": "Yrke"})
    assert "schema.xlsx" in err.value.messages[0]
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    with pytest.raises(ScheduleError):
        _store(session, setup, empty)
    no_role = tmp_path / "utan-roll.csv"
    plain_frame().drop(columns=["Befattning"]).to_csv(no_role, sep=";", index=False)
    with pytest.raises(ScheduleError) as err:
        _store(session, setup, no_role)
    assert "befattning" in err.value.messages[0]
    session.rollback()
    assert (_count(session, StaffingAnalysis), _count(session, ChangeLog)) == before
    assert session.get(FollowUp, setup["followup"]).notes == notes  # type: ignore[union-attr]
    assert session.get(ScheduleMapping, setup["contractor"]) is None


def test_locked_followup_and_readers_are_refused(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    analysis = _store(session, setup, path)
    with pytest.raises(PermissionDenied):
        ss.save_analysis(
            session, LASARE, setup["followup"], "s.xlsx", path.read_bytes(), _rules(session, setup)
        )
    with pytest.raises(PermissionDenied):
        ss.breaches_to_findings(session, LASARE, analysis.id)
    fu.hand_over(session, REVISOR, setup["followup"])
    session.commit()
    with pytest.raises(Locked):
        _store(session, setup, path)
    with pytest.raises(Locked):
        ss.breaches_to_findings(session, REVISOR, analysis.id)
    session.rollback()
    assert _count(session, StaffingAnalysis) == 1
    assert _count(session, Finding) == 0
    fu.send_back(session, CHEF, setup["followup"])
    assert len(ss.breaches_to_findings(session, REVISOR, analysis.id)) == 7


# --------------------------------------------------------------------------- findings


def test_breaches_become_proposed_findings_exactly_once(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    analysis = _store(session, setup, write_xlsx_style_a(tmp_path / "schema.xlsx"))
    findings = ss.breaches_to_findings(session, REVISOR, analysis.id)
    session.commit()
    rows = [(f.item_key, f.title) for f in findings]
    assert rows == [
        ("bemanning:staff:Avd Lärkan:Dag", "Avd Lärkan, Dag: färre i tjänst än åtagandet (1 pass)"),
        (
            "bemanning:competent:Avd Lärkan:Dag",
            "Avd Lärkan, Dag: färre med kompetens än åtagandet (1 pass)",
        ),
        (
            "bemanning:competent:Avd Lärkan:Natt",
            "Avd Lärkan, Natt: färre med kompetens än åtagandet (1 pass)",
        ),
        ("bemanning:staff:Avd Måsen:Dag", "Avd Måsen, Dag: färre i tjänst än åtagandet (1 pass)"),
        ("bemanning:staff:Avd Måsen:Natt", "Avd Måsen, Natt: färre i tjänst än åtagandet (1 pass)"),
        (
            "bemanning:competent:Avd Måsen:Natt",
            "Avd Måsen, Natt: färre med kompetens än åtagandet (1 pass)",
        ),
        ("bemanning:andel", "Andelen timmar med kompetent personal är lägre än åtagandet"),
    ]
    for f in findings:
        assert (f.kind, f.status, f.clause, f.area) == (
            FindingKind.avvikelse,
            FindingStatus.foreslagen,
            "5.1.1",  # the requirement on personaltäthet, not 4.2.2
            "Bemanning och kompetens",
        )
    assert findings[0].description == (
        "Enligt schemat under perioden 2–4 november 2026 var det färre i tjänst än åtagandet "
        "(minst 3 i tjänst) på Avd Lärkan, dag (07:00–15:00), 1 gång: 3/11 (2 av 3). "
        "Siffran är det lägsta antalet i tjänst under passet."
    )
    assert findings[-1].description == (
        "Enligt schemat under perioden 2–4 november 2026 utfördes 72 % av de arbetade timmarna "
        "av personal med kompetens enligt avtalet; åtagandet är minst 75 %."
    )

    fu.confirm_finding(session, REVISOR, findings[0].id)
    again = ss.breaches_to_findings(session, REVISOR, analysis.id)
    session.commit()
    assert [f.id for f in again] == [f.id for f in findings]
    stored = fu.findings_of(session, setup["followup"])
    assert len(stored) == 7
    assert sum(f.status is FindingStatus.bekraftad for f in stored) == 1
    # the same schedule stored again (a second upload) still gives no duplicates
    second = _store(session, setup, write_xlsx_style_a(tmp_path / "schema2.xlsx"))
    ss.breaches_to_findings(session, REVISOR, second.id)
    assert len(fu.findings_of(session, setup["followup"])) == 7


def test_a_later_analysis_withdraws_proposals_whose_breach_is_gone(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    first = _store(session, setup, path)
    ss.breaches_to_findings(session, REVISOR, first.id)
    lenient = load_rules(
        RULES_YAML.replace("min_staff: 3, min_competent: 2", "min_staff: 2, min_competent: 1")
    )
    second = _store(session, setup, path, rules=lenient)
    kept = ss.breaches_to_findings(session, REVISOR, second.id)
    assert {f.item_key for f in kept} == {
        "bemanning:competent:Avd Lärkan:Natt",
        "bemanning:staff:Avd Måsen:Natt",
        "bemanning:competent:Avd Måsen:Natt",
        "bemanning:andel",
    }
    withdrawn = [
        f for f in fu.findings_of(session, setup["followup"]) if f.status is FindingStatus.avfardad
    ]
    assert {f.item_key for f in withdrawn} == {
        "bemanning:staff:Avd Lärkan:Dag",
        "bemanning:competent:Avd Lärkan:Dag",
        "bemanning:staff:Avd Måsen:Dag",
    }
    assert all("senaste schemagranskningen" in f.downgrade_reason for f in withdrawn)


def test_clause_entered_when_the_contract_has_no_staffing_requirement(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    followup = session.get(FollowUp, setup["followup"])
    assert followup is not None
    followup.agenda = [AGENDA[0]]
    session.add(followup)
    session.commit()
    analysis = _store(session, setup, write_xlsx_style_a(tmp_path / "schema.xlsx"))
    assert ss.suggested_clause(session, followup) == ""
    with pytest.raises(ValidationFailed) as err:
        ss.breaches_to_findings(session, REVISOR, analysis.id, "  ")
    assert err.value.for_field("clause")
    findings = ss.breaches_to_findings(session, REVISOR, analysis.id, " Bilaga 3 ")
    assert {f.clause for f in findings} == {"Bilaga 3"}
    assert {f.area for f in findings} == {"Bemanning och kompetens"}


def test_suggested_clause_falls_back_to_the_contracts_requirements(
    session: Session, setup: dict[str, Any]
) -> None:
    reg.save_requirements(
        session,
        REVISOR,
        setup["contract"],
        [
            reg.RequirementInput("4.1", "Ledningssystem ska finnas.", RequirementKind.ska),
            reg.RequirementInput("4.2", "Bemanningen ska vara god.", RequirementKind.ska),
        ],
    )
    followup = session.get(FollowUp, setup["followup"])
    assert followup is not None
    followup.agenda = []
    assert ss.suggested_clause(session, followup) == "4.2"


# --------------------------------------------------------------------------- column mapping


def test_corrected_columns_are_saved_for_the_contractor_and_used_next_time(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    frame = plain_frame().rename(columns={"Befattning": "Kompetensgrupp"})
    path = tmp_path / "schema.xlsx"
    frame.to_excel(path, index=False)
    data = path.read_bytes()
    layout, used = ss.layout_for(data, path.name, ss.saved_mapping(session, setup["contractor"]))
    assert not used
    assert layout.missing == ["role"]
    chosen = {f: "" for f in ("date", "start", "end", "range", "role", "section", "break", "name")}
    chosen |= layout.mapping | {"role": "Kompetensgrupp"}
    analysis = _store(session, setup, path, mapping=chosen)
    assert analysis.result["breaches"] == SCENARIO_BREACHES
    assert analysis.result["columns"]["role"] == "Kompetensgrupp"
    assert ss.saved_mapping(session, setup["contractor"]) == {"role": "Kompetensgrupp"}

    layout, used = ss.layout_for(data, path.name, ss.saved_mapping(session, setup["contractor"]))
    assert used and layout.missing == []
    assert layout.mapping["role"] == "Kompetensgrupp"
    # a file without that header: the saved choice is dropped, the file still reads
    other = tmp_path / "annan.xlsx"
    plain_frame().to_excel(other, index=False)
    layout, used = ss.layout_for(other.read_bytes(), other.name, {"role": "Kompetensgrupp"})
    assert not used and layout.mapping["role"] == "Befattning"


# --------------------------------------------------------------------------- contract rules

TWO_UNITS = (
    RULES_YAML
    + "---\n"
    + RULES_YAML.replace("unit: Solgården", "unit: Björkhagen").replace(
        "[Avd Lärkan, Avd Måsen]", "[Avd Eken]"
    )
)


def test_rules_yaml_one_document_per_unit_or_a_list() -> None:
    rules = ss.validate_rules_yaml(TWO_UNITS)
    assert [r["unit"] for r in rules] == ["Solgården", "Björkhagen"]
    assert rules[0] == load_rules(RULES_YAML).model_dump(mode="json")
    text = ss.rules_list_to_yaml(rules)
    assert text.count("---\n") == 1
    assert ss.validate_rules_yaml(text) == rules
    as_list = "- " + RULES_YAML.replace("\n", "\n  ").rstrip() + "\n"
    assert ss.validate_rules_yaml(as_list) == rules[:1]
    assert ss.validate_rules_yaml("") == []
    assert ss.validate_rules_yaml("\n---\n") == []


def test_rules_yaml_errors_are_swedish_and_name_the_unit() -> None:
    bad = TWO_UNITS.replace("min_staff: 3", "min_staff: tre", 1).replace(
        "places_per_section: 10", "places_per_section: 0"
    )
    with pytest.raises(RulesError) as err:
        ss.validate_rules_yaml(bad)
    assert err.value.messages == [
        "Enhet nr 1 (Solgården): Reglerna: fältet places_per_section: måste vara större än 0.",
        "Enhet nr 1 (Solgården): Reglerna: fältet periods nr 1, min_staff: måste vara ett heltal.",
        "Enhet nr 2 (Björkhagen): Reglerna: fältet places_per_section: måste vara större än 0.",
    ]
    with pytest.raises(RulesError) as err:
        ss.validate_rules_yaml(RULES_YAML + "---\n" + RULES_YAML)
    assert "enheten Solgården har redan åtaganden i enhet nr 1" in err.value.messages[0]
    with pytest.raises(RulesError) as err:
        ss.validate_rules_yaml("unit: [oavslutad\n")
    assert err.value.messages[0].startswith("Åtagandena är inte giltig YAML på rad")
    with pytest.raises(RulesError) as err:
        ss.validate_rules_yaml(TWO_UNITS, ["Solgården"])
    assert err.value.messages == [
        "Enhet nr 2 (Björkhagen): enheten Björkhagen finns inte i avtalet (avtalets enheter: "
        "Solgården). Skriv enhetens namn som i registret."
    ]
    with pytest.raises(RulesError) as err:
        ss.validate_rules_yaml(RULES_YAML, ["Björkhagen"])
    assert err.value.messages[0].startswith("Enheten Solgården finns inte i avtalet")


def test_rules_are_saved_on_the_contract_and_picked_per_unit(
    session: Session, setup: dict[str, Any]
) -> None:
    with pytest.raises(RulesError):
        ss.save_rules_yaml(session, REVISOR, setup["contract"], TWO_UNITS)
    with pytest.raises(PermissionDenied):
        ss.save_rules_yaml(session, LASARE, setup["contract"], RULES_YAML)
    saved = ss.save_rules_yaml(
        session, REVISOR, setup["contract"], RULES_YAML.replace("Solgården", "SOLGÅRDEN")
    )
    assert saved[0]["unit"] == "Solgården"  # spelled as in the register
    contract = session.get(Contract, setup["contract"])
    assert contract is not None and contract.staffing_rules == saved
    assert ss.rules_for(session, setup["contract"], "Solgården") == load_rules(RULES_YAML)
    assert ss.rules_for(session, setup["contract"], "Björkhagen") is None
    ss.save_rules_yaml(session, REVISOR, setup["contract"], "")
    assert ss.rules_for(session, setup["contract"], "Solgården") is None


def test_get_analysis_of_unknown_id_is_a_swedish_error(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="Schemagranskningen finns inte"):
        ss.get_analysis(session, uuid.uuid4())
