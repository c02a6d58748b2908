"""Evidence files: stored under the data folder with their SHA-256, never on a locked follow-up."""

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import Locked, NotFound, PermissionDenied, ValidationFailed
from audit_app.services import evidence
from audit_app.services.documents.stored import justera_and_store
from tests.conftest import CHEF, LASARE, REVISOR, hand_over
from tests.unit.followups.fixtures import plan, registers_setup


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    """One contractor with a unit and a contract to plan follow-ups on."""
    return registers_setup(session)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_upload_is_stored_with_checksum_and_read_back(
    session: Session,
    setup: dict[str, Any],
    data_dir: Path,
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    data = b"%PDF-1.4 rutin for synpunkter"
    stored = evidence.store_evidence(
        session, REVISOR, f.id, "krav-4.1", "../../Rutin synpunkter.pdf", data
    )
    session.commit()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.filename == "Rutin synpunkter.pdf"  # no path from the browser is kept
    path = Path(stored.stored_path)
    assert path.is_relative_to(data_dir) and path.read_bytes() == data
    assert [e.filename for e in evidence.evidence_of(session, f.id)["krav-4.1"]] == [
        "Rutin synpunkter.pdf"
    ]
    assert evidence.read_evidence(stored) == data
    path.write_bytes(b"changed")
    with pytest.raises(ValidationFailed, match="har ändrats"):
        evidence.read_evidence(stored)


def test_upload_is_refused_for_readers_unknown_items_empty_files_and_locked_followups(
    session: Session,
    setup: dict[str, Any],
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    with pytest.raises(PermissionDenied):
        evidence.store_evidence(session, LASARE, f.id, "krav-4.1", "a.pdf", b"x")
    with pytest.raises(NotFound):
        evidence.store_evidence(session, REVISOR, f.id, "finns-inte", "a.pdf", b"x")
    with pytest.raises(ValidationFailed, match="tom"):
        evidence.store_evidence(session, REVISOR, f.id, "krav-4.1", "a.pdf", b"")
    hand_over(session, REVISOR, f.id)
    justera_and_store(session, CHEF, f.id)
    with pytest.raises(Locked):
        evidence.store_evidence(session, REVISOR, f.id, "krav-4.1", "a.pdf", b"x")


def test_the_size_cap_is_a_setting(
    session: Session, setup: dict[str, Any], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    monkeypatch.setenv("AUDIT_EVIDENCE_MAX_MB", "1")
    with pytest.raises(ValidationFailed) as caught:
        evidence.store_evidence(
            session, REVISOR, f.id, "krav-4.1", "film.mp4", b"x" * (3 * 1024 * 1024)
        )
    assert caught.value.message == "Filen 'film.mp4' är 3 MB; högst 1 MB tas emot."
    assert not (data_dir / "underlag").exists()
    stored = evidence.store_evidence(session, REVISOR, f.id, "krav-4.1", "liten.pdf", b"x" * 1024)
    assert stored.size == 1024
