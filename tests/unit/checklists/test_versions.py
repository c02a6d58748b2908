"""Stored versions: the shipped files, imports, composition and a follow-up's pinned version."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import ChecklistVersion, Contractor, FollowUp, FollowUpKind, UnitKind
from audit_app.services import checklists
from tests.conftest import ADMIN, LASARE, REVISOR
from tests.unit.checklists.fixtures import EXPECTED, SHIPPED, SMALL, small


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def test_sync_shipped_is_idempotent_and_composes_the_ska_lists(session: Session) -> None:
    result = checklists.sync_shipped(session, ADMIN)
    session.commit()
    assert result.errors == []
    keys = {cv.key for cv in result.created}
    assert keys == set(EXPECTED) | {
        "avtalsuppfoljning.sarskilt_boende",
        "avtalsuppfoljning.hemtjanst",
    }
    assert checklists.sync_shipped(session, ADMIN).created == []
    assert _count(session) == len(keys)

    composed = checklists.checklist_for_kind(session, FollowUpKind.avtal, UnitKind.sarskilt_boende)
    assert composed is not None and composed.key == "avtalsuppfoljning.sarskilt_boende"
    assert composed.source == "Sammansatt av avtalsuppfoljning v1 + ska_krav_sarskilt_boende v1"
    section3 = [
        a
        for a in checklists.build_agenda(composed.content, [], [UnitKind.sarskilt_boende])
        if a.section_key == "ska-krav"
    ]
    assert len(section3) == 2 + 32
    assert section3[2].key == "sb-led-01" and section3[2].area == "Ledning och kvalitet"

    lss = checklists.checklist_for_kind(session, "avtal", "lss_bostad")
    assert lss is not None and lss.key == "avtalsuppfoljning"
    for kind, key in [
        ("ledningssystem", "ledningssystem"),
        ("kvalitetsrevision", "kvalitetsrevision"),
        ("riktad", "riktad_uppfoljning"),
        ("bistandsarenden", "bistandsarenden"),
    ]:
        found = checklists.checklist_for_kind(session, kind)
        assert found is not None and found.key == key
    assert checklists.checklist_for_kind(session, "ateruppfoljning") is None
    assert [cv.key for cv in checklists.checklists_for_kind(session, "avtal")] == [
        "ska_krav_hemtjanst",
        "ska_krav_sarskilt_boende",
        "avtalsuppfoljning",
        "avtalsuppfoljning.hemtjanst",
        "avtalsuppfoljning.sarskilt_boende",
    ]


def test_a_checklist_with_a_requirements_section_takes_the_lists_of_its_kind(
    session: Session, tmp_path: Path
) -> None:
    (tmp_path / "liten.yaml").write_text(SMALL, encoding="utf-8")
    for stem in ("ska_krav_hemtjanst", "ska_krav_sarskilt_boende"):
        (tmp_path / f"{stem}.yaml").write_text(
            (SHIPPED / f"{stem}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    created = {cv.key for cv in checklists.sync_shipped(session, ADMIN, tmp_path).created}
    assert created == {
        "liten",
        "ska_krav_hemtjanst",
        "ska_krav_sarskilt_boende",
        "liten.hemtjanst",
        "liten.sarskilt_boende",
    }
    composed = checklists.latest(session, "liten.hemtjanst")
    assert composed is not None
    merged = checklists.checklist_of(composed)
    assert [s.role for s in merged.sections] == [s.role for s in small().sections]
    assert merged.sections[1].items[:2] == small().sections[1].items
    assert len(merged.sections[1].items) == 2 + 31

    # Without a requirements section the same checklist is a plain one: nothing is composed.
    plain = SMALL.replace("    role: requirements\n", "").replace("key: liten", "key: utan")
    (tmp_path / "utan.yaml").write_text(plain, encoding="utf-8")
    assert [cv.key for cv in checklists.sync_shipped(session, ADMIN, tmp_path).created] == ["utan"]


def test_sync_reports_a_broken_file_and_keeps_the_others(session: Session, tmp_path: Path) -> None:
    (tmp_path / "liten.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "trasig.yaml").write_text("key: trasig\nname: T\nkind: avtal\nsections: []\n")
    result = checklists.sync_shipped(session, ADMIN, tmp_path)
    assert [cv.key for cv in result.created] == ["liten"]
    assert result.errors == [
        'trasig.yaml: Fält "sections": Checklistan har inga avsnitt. Lägg till '
        "minst ett avsnitt med frågor."
    ]


def test_import_creates_a_new_version_and_never_changes_the_old(session: Session) -> None:
    first = checklists.import_version(session, REVISOR, small(), "test")
    data = checklists.content_of(small())
    data["sections"][0]["items"][0]["text"] = "Omformulerad fråga"
    second = checklists.import_version(
        session, REVISOR, checklists.validate_checklist(data), "test 2"
    )
    session.commit()
    assert (first.version, second.version) == (1, 2)
    assert second.content["version"] == 2 and second.created_by_id == REVISOR.user_id
    assert checklists.get_version(session, first.id).content["sections"][0]["items"][0]["text"] == (
        "Finns en rutin för avvikelser?"
    )
    assert [v.version for v in checklists.list_versions(session, "liten")] == [2, 1]
    latest = checklists.latest(session, "liten")
    assert latest is not None and latest.id == second.id
    with pytest.raises(checklists.ChecklistUnchanged) as exc:
        checklists.import_version(
            session, REVISOR, checklists.validate_checklist(data), "samma igen"
        )
    assert exc.value.version == 2
    assert _count(session) == 2


def test_import_is_refused_for_readers_and_composed_keys(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        checklists.import_version(session, LASARE, small(), "test")
    composed = small().model_copy(update={"key": "avtalsuppfoljning.hemtjanst"})
    with pytest.raises(ValidationFailed, match="sätts samman automatiskt"):
        checklists.import_version(session, ADMIN, composed, "test")
    assert _count(session) == 0


def test_followup_pinned_to_version_1_keeps_its_items_after_version_2(session: Session) -> None:
    checklists.sync_shipped(session, ADMIN)
    v1 = checklists.checklist_for_kind(session, "avtal", "sarskilt_boende")
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
    before = checklists.build_agenda(
        checklists.get_version(session, followup.checklist_version_id).content
    )

    ska = checklists.load_yaml(SHIPPED / "ska_krav_sarskilt_boende.yaml")
    data = checklists.content_of(ska)
    data["sections"][0]["items"][0]["text"] = "Ändrat krav om ledningssystem."
    data["sections"][0]["items"].append(
        {"key": "sb-led-07", "text": "Nytt krav om informationssäkerhet.", "kind": "ska_krav"}
    )
    checklists.import_version(session, REVISOR, checklists.validate_checklist(data), "ny version")
    session.commit()

    v2 = checklists.checklist_for_kind(session, "avtal", "sarskilt_boende")
    assert v2 is not None and (v1.key, v1.version, v2.key, v2.version) == (v2.key, 1, v1.key, 2)
    pinned = session.get(FollowUp, followup.id)
    assert pinned is not None
    after = checklists.build_agenda(
        checklists.get_version(session, pinned.checklist_version_id).content
    )
    assert after == before
    assert "sb-led-07" not in [a.key for a in after]
    newest = [a.key for a in checklists.build_agenda(v2.content)]
    assert "sb-led-07" in newest
    assert (
        checklists.diff(v1.content, v2.content).summary()
        == "1 ny, 1 omformulerad, 1 ändring av uppgifter om checklistan"
    )


def test_sync_never_reverts_an_edit_but_takes_an_updated_file(
    session: Session, tmp_path: Path
) -> None:
    (tmp_path / "liten.yaml").write_text(SMALL, encoding="utf-8")
    checklists.sync_shipped(session, ADMIN, tmp_path)
    data = checklists.content_of(small())
    data["name"] = "Ändrad i appen"
    checklists.import_version(
        session, REVISOR, checklists.validate_checklist(data), "uppladdad fil"
    )
    assert checklists.sync_shipped(session, ADMIN, tmp_path).created == []
    latest = checklists.latest(session, "liten")
    assert latest is not None and (latest.version, latest.name) == (2, "Ändrad i appen")

    (tmp_path / "liten.yaml").write_text(SMALL.replace("Liten checklista", "Ny utgåva"), "utf-8")
    created = checklists.sync_shipped(session, ADMIN, tmp_path).created
    assert [(cv.key, cv.version, cv.name) for cv in created] == [("liten", 3, "Ny utgåva")]
    assert [v.version for v in checklists.list_versions(session, "liten")] == [3, 2, 1]
