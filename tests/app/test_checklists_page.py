"""The Checklistor page as a person uses it: preview, download, upload with diff, save, history."""

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from audit_app.auth import SYSTEM
from audit_app.db import get_engine
from audit_app.models import ChecklistVersion
from audit_app.services.checklists import (
    checklist_of,
    latest,
    list_versions,
    sync_shipped,
    to_excel,
)
from tests.app.harness import shown as unescaped

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
USERS = {
    "revisor": ("Rita Revisor", "revisor"),
    "lasare": ("Lena Läsare", "lasare"),
}


def _page(username: str, display_name: str, role: str) -> None:
    from audit_app.views import checklists
    from tests.app.harness import login_as

    login_as(username)
    checklists.render()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import audit_app.ui

    url = f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    with Session(get_engine(url)) as session:
        sync_shipped(session, SYSTEM)
        session.commit()
    audit_app.ui.engine.clear()
    yield url
    audit_app.ui.engine.clear()


def open_page(username: str = "revisor") -> AppTest:
    at = AppTest.from_function(_page, args=(username, *USERS[username]), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def choose(at: AppTest, key: str) -> AppTest:
    at.selectbox(key="checklists.selected").set_value(key).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    parts += (
        [i.value for i in at.info] + [e.value for e in at.error] + [c.value for c in at.caption]
    )
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def versions_of(url: str, key: str) -> list[int]:
    with Session(get_engine(url)) as session:
        return [v.version for v in list_versions(session, key)]


def count(url: str) -> int:
    with Session(get_engine(url)) as session:
        return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def exported(key: str, url: str) -> bytes:
    with Session(get_engine(url)) as session:
        newest = latest(session, key)
        assert newest is not None
        return to_excel(checklist_of(newest))


def edit(data: bytes, **cells: str | None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb["Frågor"][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_revisor_sees_list_and_preview_as_a_reader(db_url: str) -> None:
    at = choose(open_page(), "ska_krav_sarskilt_boende")
    assert at.title[0].value == "Checklistor"
    assert [t.label for t in at.tabs] == ["Förhandsgranskning", "Versioner", "Ladda upp ny version"]
    table = at.dataframe[0].value
    assert "avtalsuppfoljning" in set(table["Id"])
    assert table.loc[table["Id"] == "ska_krav_sarskilt_boende", "Frågor"].item() == 40
    assert unescaped(at.subheader[0].value) == "SKA-krav särskilt boende (standardkrav)"
    shown = texts(at)
    assert "#### Bemanning och kompetens" in shown
    assert ":red-badge[SKA-krav] :gray-badge[Bedömning] :violet-badge[Underlag krävs]" in shown
    assert "Avtalspunkt 4\\.1\\.1" in shown
    assert "Begär ledningssystemets innehållsförteckning" in shown
    assert [b.label for b in at.get("download_button")] == [
        "Ladda ned som Excel",
        "Ladda ned som YAML",
    ]

    at = choose(at, "avtalsuppfoljning")
    shown = texts(at)
    assert "Här läggs avtalets SKA- och BÖR-krav in automatiskt" in shown
    assert "Roll i dagordningen: Bemanning" in shown
    assert "Roll i dagordningen: Åtgärdsplan" in shown


def test_upload_shows_differences_then_saves_a_new_version(db_url: str) -> None:
    before = count(db_url)
    at = open_page()
    changed = edit(exported("avtalsuppfoljning", db_url), C2="Minnesanteckningarna är justerade.")
    at.file_uploader[0].set_value(("avtal.xlsx", changed, XLSX)).run()
    shown = texts(at)
    assert "Filen gäller checklistan **Uppföljning av avtal \\(entreprenad\\)**" in shown
    assert "**Skillnader:** 1 omformulerad" in shown
    assert "Minnesanteckningarna är justerade\\." in shown
    assert "Sparas som version 2" in shown
    assert count(db_url) == before  # nothing saved yet

    at.button(key="checklists.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert versions_of(db_url, "avtalsuppfoljning") == [2, 1]
    assert "Sparade Uppföljning av avtal (entreprenad) som version 2." in unescaped(texts(at))
    assert at.selectbox(key="checklists.selected").value == "avtalsuppfoljning"
    assert len(at.file_uploader) == 1 and at.file_uploader[0].value is None  # reset for next file
    history = at.dataframe[1].value
    assert list(history["Version"]) == [2, 1]
    assert history["Källa"].iloc[0] == "uppladdad fil avtal.xlsx"
    assert at.selectbox(key="checklists.old.avtalsuppfoljning").value == 1
    assert "**Omformulerade frågor**" in texts(at)


def test_broken_upload_shows_every_error_and_saves_nothing(db_url: str) -> None:
    before = count(db_url)
    at = open_page()
    broken = edit(exported("ledningssystem", db_url), E2="skakrav", C3=None, B4="ls-proc-01")
    at.file_uploader[0].set_value(("ledning.xlsx", broken, XLSX)).run()
    assert not at.exception
    assert unescaped(at.error[0].value) == (
        "Filen ledning.xlsx har 3 fel. Inget har sparats. Rätta felen och ladda upp filen igen."
    )
    shown = texts(at)
    assert 'Blad "Frågor", rad 2, kolumn "Typ": "skakrav" är ingen giltig typ' in shown.replace(
        "\\", ""
    )
    assert 'Blad "Frågor", rad 3, kolumn "Text": Texten är tom' in shown.replace("\\", "")
    assert 'Blad "Frågor", rad 4, kolumn "Id": Id "ls-proc-01" används redan' in shown.replace(
        "\\", ""
    )
    assert not [b for b in at.button if b.key == "checklists.save"]
    assert count(db_url) == before


def test_unchanged_upload_has_nothing_to_save(db_url: str) -> None:
    at = open_page()
    at.file_uploader[0].set_value(("same.xlsx", exported("bistandsarenden", db_url), XLSX)).run()
    assert "Filen är likadan som version 1. Det finns inget att spara." in texts(at)
    assert not [b for b in at.button if b.key == "checklists.save"]


def test_reader_sees_read_only_page(db_url: str) -> None:
    at = open_page("lasare")
    assert [t.label for t in at.tabs] == ["Förhandsgranskning", "Versioner"]
    assert len(at.file_uploader) == 0
    assert "kräver rollen revisor eller administratör" in texts(at)
    assert at.get("download_button")[0].label == "Ladda ned som Excel"
