"""Schema changes: the models equal the migrated schema, and 0002 and 0004 rewrite stored rows."""

import json
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, select

from audit_app.db import alembic_config, make_engine, migrate
from audit_app.models import (
    ChangeLog,
    ChecklistVersion,
    Finding,
    FindingSource,
    FollowUp,
    FollowUpKind,
    SectionRole,
    StoredDocument,
)
from tests.unit.migration_checks import check_0004_moves_commitments_to_unit_ids


def test_models_equal_the_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def _hex(value: uuid.UUID) -> str:
    return value.hex  # how SQLite stores sa.Uuid


def test_0002_renames_links_users_by_id_and_declares_roles(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0001")
    user, contractor, followup, finding, free, version, doc = (uuid.uuid4() for _ in range(7))
    agenda = [
        {"key": "f1", "section_key": "foregaende", "section_title": "1. Föregående", "text": "?"},
        {"key": "b1", "section_key": "bemanning", "section_title": "2. Bemanning", "text": "?"},
        {"key": "krav-4.1", "section_key": "ska-krav", "section_title": "3. Krav",
         "text": "Ska", "kind": "ska_krav", "source": "contract"},
        {"key": "a1", "section_key": "atgardsplan", "section_title": "4. Åtgärder", "text": "?"},
    ]  # fmt: skip
    content = {
        "key": "avtalsuppfoljning",
        "name": "Avtal",
        "version": 1,
        "kind": "avtal",
        "description": "",
        "applies_to": [],
        "sections": [
            {"key": "foregaende", "title": "1", "description": "",
             "include_contract_requirements": False, "items": []},
            {"key": "ska-krav", "title": "3", "description": "",
             "include_contract_requirements": True, "items": []},
        ],
    }  # fmt: skip
    now = "2026-01-01 10:00:00.000000"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user (id, username, display_name, role, password_hash, active, "
                "created_at) VALUES (:id, 'karin', 'Karin Ek', 'revisor', '-', 1, :now)"
            ),
            {"id": _hex(user), "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO contractor (version, created_at, updated_at, updated_by, id, name, "
                "org_nr, contact_name, contact_role, contact_email, archived) VALUES "
                "(1, :now, :now, 'karin', :id, 'Omsorg AB', '556000-0000', '', '', '', 0)"
            ),
            {"id": _hex(contractor), "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO followup (version, created_at, updated_at, updated_by, id, kind, "
                "title, contractor_id, planned_date, planned_time, place, methods, reason_text, "
                "participants, status, agenda, notes, doc_version, author, justerad_by, "
                "correction_reason) VALUES (1, :now, :now, 'karin', :id, 'aterupfoljning', "
                "'Återuppföljning', :c, '2026-02-01', '', '', '[]', '', '[]', 'pagar', :agenda, "
                "'{}', 1, 'karin', NULL, '')"
            ),
            {"id": _hex(followup), "c": _hex(contractor), "now": now, "agenda": json.dumps(agenda)},
        )
        for fid, key, status, reason in (
            (finding, "bemanning:staff:Avd A:Dag", "avfardad",
             "Bristen finns inte i den senaste schemagranskningen."),
            (free, "krav-4.1", "avfardad", "Fel bedömt"),
        ):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO finding (version, created_at, updated_at, updated_by, id, "
                    "followup_id, kind, status, item_key, clause, area, title, description, "
                    "downgrade_reason, for_committee) VALUES (1, :now, :now, 'karin', :id, :f, "
                    "'avvikelse', :status, :key, '', '', 'T', '', :reason, 0)"
                ),
                {"id": _hex(fid), "f": _hex(followup), "now": now, "key": key,
                 "status": status, "reason": reason},
            )  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO changelog (id, at, username, entity, entity_id, field, old, new) "
                "VALUES (:id, :now, 'karin', 'finding', :e, 'status', NULL, 'foreslagen')"
            ),
            {"id": _hex(uuid.uuid4()), "now": now, "e": str(free)},
        )
        conn.execute(
            text(
                "INSERT INTO checklistversion (id, key, version, name, kind, content, sha256, "
                "source, created_at, created_by) VALUES (:id, 'avtalsuppfoljning', 1, 'Avtal', "
                "'avtal', :content, 'x', '', :now, 'karin')"
            ),
            {"id": _hex(version), "now": now, "content": json.dumps(content)},
        )
        conn.execute(
            text(
                "INSERT INTO storeddocument (id, followup_id, followup_version, kind, filename, "
                "sha256, content, created_at) VALUES (:id, :f, 1, 'tjanseskrivelse', "
                "'Tjanseskrivelse-aterupfoljning.docx', 'x', x'00', :now)"
            ),
            {"id": _hex(doc), "f": _hex(followup), "now": now},
        )
    migrate(engine)
    with Session(engine) as s:
        f = s.get(FollowUp, followup)
        assert f is not None
        assert f.kind is FollowUpKind.ateruppfoljning
        assert (f.author_id, f.updated_by_id) == (user, user)
        roles = [i["section_role"] for i in f.agenda]
        assert roles == ["previous", "staffing", "requirements", "action_plan"]
        staffing = s.get(Finding, finding)
        assert staffing is not None and staffing.source is FindingSource.bemanning
        assert (staffing.item_key, staffing.source_ref) == (None, "staff:Avd A:Dag")
        assert staffing.withdraw_reason.startswith("Bristen") and staffing.downgrade_reason == ""
        rejected = s.get(Finding, free)
        assert rejected is not None and rejected.source is FindingSource.agenda
        assert (rejected.reject_reason, rejected.downgrade_reason) == ("Fel bedömt", "")
        cv = s.get(ChecklistVersion, version)
        assert cv is not None and cv.created_by_id == user
        sections = cv.content["sections"]
        assert [sec["role"] for sec in sections] == [SectionRole.previous, "requirements"]
        assert all("include_contract_requirements" not in sec for sec in sections)
        stored = s.get(StoredDocument, doc)
        assert stored is not None
        assert (stored.kind, stored.filename) == (
            "tjansteskrivelse",
            "Tjansteskrivelse-ateruppfoljning.docx",
        )
        log = s.exec(select(ChangeLog)).one()
        assert log.user_id == user


def test_0004_moves_staffing_rules_to_commitments_by_unit_id(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    check_0004_moves_commitments_to_unit_ids(engine)
    engine.dispose()


def test_a_downgrade_past_the_signals_is_refused_with_the_way_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'down.db'}")
    migrate(engine)
    with pytest.raises(NotImplementedError, match="restore a backup"):
        command.downgrade(alembic_config(engine), "base")
