"""Stored versions: the shipped files, imports, composition and a follow-up's pinned version."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import ChecklistVersion, Contractor, FollowUp, FollowUpKind
from audit_app.services import checklists
from tests.conftest import ADMIN, LASARE, REVISOR
from tests.unit.checklists.fixtures import EXPECTED, SHIPPED, SMALL, small


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def test_sync_shipped_is_idempotent_and_merges_nothing(session: Session) -> None:
    result = checklists.sync_shipped(session, ADMIN)
    session.commit()
    assert result.errors == []
    keys = {cv.key for cv in result.created}
    assert keys == set(EXPECTED)  # no composed avtalsuppfoljning.<unit kind> any more
    assert checklists.sync_shipped(session, ADMIN).created == []
    assert _count(session) == len(keys)

    avtal = checklists.checklist_for_kind(session, FollowUpKind.avtal)
    assert avtal is not None and avtal.key == "avtalsuppfoljning"
    for kind, key in [
        ("ledningssystem", "ledningssystem"),
        ("kvalitetsrevision", "kvalitetsrevision"),
        ("riktad", "riktad_uppfoljning"),
        ("bistandsarenden", "bistandsarenden"),
    ]:
        found = checklists.checklist_for_kind(session, kind)
        assert found is not None and found.key == key
    assert checklists.checklist_for_kind(session, "ateruppfoljning") is None
    # The standard lists are starting points for a contract, not agendas to plan with.
    assert [cv.key for cv in checklists.checklists_for_kind(session, "avtal")] == [
        "avtalsuppfoljning"
    ]
    assert {c.key for c in checklists.requirement_lists(session)} >= {
        "ska_krav_hemtjanst",
        "ska_krav_sarskilt_boende",
    }


def test_a_checklist_may_not_bring_its_own_requirements_into_point_3(
    session: Session, tmp_path: Path
) -> None:
    own = SMALL.replace(
        "      - key: k2\n        text: Egen fråga om avvikelser\n",
        "      - key: k2\n        text: Egen fråga om avvikelser\n        kind: ska_krav\n",
    )
    assert own != SMALL
    (tmp_path / "liten.yaml").write_text(own, encoding="utf-8")
    result = checklists.sync_shipped(session, ADMIN, tmp_path)
    assert result.created == []
    assert "SKA- och BÖR-krav skrivs in i avtalet" in result.errors[0]
    with pytest.raises(ValidationFailed, match="skrivs in i avtalet"):
        checklists.import_version(session, ADMIN, checklists.load_yaml(own), "test")


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
    v1 = checklists.checklist_for_kind(session, "avtal")
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

    data = checklists.content_of(checklists.load_yaml(SHIPPED / "avtalsuppfoljning.yaml"))
    data["sections"][0]["items"][0]["text"] = "Ändrad fråga om förra mötet."
    data["sections"][0]["items"].append(
        {"key": "fg-ny", "text": "Ny fråga om informationssäkerhet.", "kind": "fraga"}
    )
    data["name"] = "Uppföljning av avtal, ny version"
    checklists.import_version(session, REVISOR, checklists.validate_checklist(data), "ny version")
    session.commit()

    v2 = checklists.checklist_for_kind(session, "avtal")
    assert v2 is not None and (v1.key, v1.version, v2.key, v2.version) == (v2.key, 1, v1.key, 2)
    pinned = session.get(FollowUp, followup.id)
    assert pinned is not None
    after = checklists.build_agenda(
        checklists.get_version(session, pinned.checklist_version_id).content
    )
    assert after == before
    assert "fg-ny" not in [a.key for a in after]
    newest = [a.key for a in checklists.build_agenda(v2.content)]
    assert "fg-ny" in newest
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
