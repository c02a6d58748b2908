"""Every place a file arrives refuses hostile files with a Swedish message naming the file, in
the app's process without harm, and stores nothing: checklist import, the contract's
requirements, the schedule upload, the staffing rules and the Word templates."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.errors import UserError, ValidationFailed
from audit_app.services import checklists, indicators, registers
from audit_app.services.documents import templates
from audit_app.services.documents.registry import template_spec
from audit_app.services.staffing import guarded, store
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.untrusted.errors import GuardLimit
from tests.conftest import ADMIN, REVISOR
from tests.unit.documents.docx_reading import SHIPPED_TEMPLATES, edited_template
from tests.unit.staffing.fixtures import contract_rules, followup_with_commitments
from tests.unit.untrusted import hostile
from tests.unit.untrusted.stored import everything

SCHEDULE = {"Schema": [["Datum", "Start", "Slut", "Befattning", "Avdelning"]]}


def _word_document() -> bytes:
    return (SHIPPED_TEMPLATES / "tjansteskrivelse.docx").read_bytes()


def _truncated() -> bytes:
    data = hostile.xlsx(SCHEDULE)
    return data[: len(data) - 40]


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "cell at XFD1048576 (declared)": (hostile.huge_dimension_xlsx, "området A1:XFD1048576"),
    "cell at XFD1048576 (not declared)": (
        hostile.far_cell_without_dimension_xlsx,
        "kunde inte läsas: den kräver mer minne än gränsen",
    ),
    "styled empty cells": (hostile.styled_cells_xlsx, "26\xa0000\xa0000 celler"),
    "zip bomb": (
        lambda: hostile.with_bomb(hostile.xlsx(SCHEDULE), "xl/media/image1.png", 64),
        "ser ut som en zip-bomb",
    ),
    "damaged zip": (_truncated, "är skadad"),
    "Word document": (_word_document, "är ett Word-dokument (.docx), inte"),
    "PDF": (lambda: b"%PDF-1.7\n%hostile", "är en PDF-fil, inte"),
}


@pytest.fixture
def ids(session: Session) -> dict[str, Any]:
    return followup_with_commitments(session)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_checklist_import_refuses_hostile_workbooks(case: str) -> None:
    make, expected = HOSTILE[case]
    with pytest.raises(ValidationFailed) as caught:
        checklists.read_upload(make(), "checklista.xlsx")
    assert "checklista.xlsx" in caught.value.message
    assert expected in caught.value.message


@pytest.mark.parametrize("case", list(HOSTILE))
def test_requirement_import_refuses_hostile_workbooks(case: str) -> None:
    make, expected = HOSTILE[case]
    with pytest.raises(ValidationFailed) as caught:
        registers.parse_requirements_excel(make(), "krav.xlsx")
    assert "krav.xlsx" in caught.value.message
    assert expected in caught.value.message


@pytest.mark.parametrize("case", list(HOSTILE))
def test_schedule_upload_refuses_hostile_files_and_stores_nothing(
    case: str, session: Session, engine: Engine, ids: dict[str, Any]
) -> None:
    make, expected = HOSTILE[case]
    data = make()
    before = everything(engine)
    if case == "cell at XFD1048576 (not declared)":
        # the mapping editor reads only the first rows of the sheet's XML: the header is found
        layout, _saved = store.layout_for(data, "schema.xlsx")
        assert layout.headers[:2] == ["Datum", "Start"]
    else:
        with pytest.raises(ScheduleError) as caught:
            store.layout_for(data, "schema.xlsx")
        assert "schema.xlsx" in caught.value.message
    with pytest.raises(ScheduleError) as caught:
        store.save_analysis(
            session,
            REVISOR,
            ids["followup"],
            "schema.xlsx",
            data,
            contract_rules(session, ids),
            mapping={"date": "Datum"},
        )
    assert expected in caught.value.message
    session.commit()  # even a caller that commits after the error has nothing to store
    assert everything(engine) == before


def test_a_csv_schedule_over_the_row_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "1000")
    text = "Datum;Start;Slut;Befattning;Avdelning\n" + "2026-11-02;07:00;15:00;usk;A\n" * 1500
    with pytest.raises(ScheduleError) as caught:
        store.layout_for(text.encode(), "schema.csv")
    assert caught.value.messages == [
        "Filen schema.csv har 1\xa0502 rader; högst 1\xa0000 tas emot."
    ]


def test_a_schedule_that_went_over_a_limit_is_not_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = hostile.far_cell_without_dimension_xlsx() + b""
    with pytest.raises(ScheduleError, match="mer minne"):
        guarded.read_schedule(data, filename="schema.xlsx")
    monkeypatch.setattr("audit_app.services.staffing.guarded.run_guarded", _never)
    with pytest.raises(ScheduleError, match="mer minne"):
        guarded.read_schedule(data, filename="schema.xlsx", mapping={"date": "Datum"})
    with pytest.raises(ScheduleError, match="mer minne"):
        store.layout_for(data, "schema.xlsx", {"date": "Datum"})


def _never(*_args: object, **_kwargs: object) -> object:
    raise AssertionError("read again")


# --------------------------------------------------------------------------- templates


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    yield tmp_path / "data"


def _short_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three seconds for the loops (set after the good template's test render)."""
    monkeypatch.setenv("AUDIT_TEMPLATE_SECONDS", "3")


NAME = "tjansteskrivelse.docx"
NESTED_LOOP = (
    "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"
)


def _bomb_template() -> bytes:
    return hostile.with_bomb(_word_document(), "word/media/image9.png", 2048)


HOSTILE_TEMPLATES: dict[str, tuple[Callable[[], bytes], str]] = {
    "nested loop": (
        lambda: edited_template(NAME, {"Sammanfattning": NESTED_LOOP}),
        "det tog längre än gränsen 3 sekunder och avbröts",
    ),
    "a gigabyte of text": (
        lambda: edited_template(NAME, {"Sammanfattning": "{{ 'x' * 10**9 }}"}),
        "den kräver mer minne än gränsen 512 MB",
    ),
    "2 MB docx inflating to 2 GiB": (_bomb_template, "ser ut som en zip-bomb"),
}


@pytest.mark.parametrize("case", list(HOSTILE_TEMPLATES))
def test_hostile_template_upload_is_refused_and_the_previous_one_kept(
    case: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = edited_template(NAME, {"Sammanfattning": "Kort sammanfattning"})
    templates.save_template(ADMIN, NAME, good)
    _short_time_limit(monkeypatch)
    make, expected = HOSTILE_TEMPLATES[case]
    with pytest.raises(UserError) as caught:
        templates.save_template(ADMIN, NAME, make())
    assert expected in caught.value.message
    assert caught.value.message.endswith("Den tidigare mallen används fortfarande.")
    assert (data_dir / "templates" / NAME).read_bytes() == good


def test_an_installed_template_that_loops_is_stopped_when_documents_are_made(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template that passed its test with the sample may still loop on real data."""
    _short_time_limit(monkeypatch)
    folder = data_dir / "templates"
    folder.mkdir(parents=True)
    (folder / NAME).write_bytes(edited_template(NAME, {"Sammanfattning": NESTED_LOOP}))
    with pytest.raises(GuardLimit) as caught:
        templates.render_template(NAME, template_spec(NAME).sample())
    assert caught.value.message.startswith(
        f"Mallen {NAME} kunde inte användas: det tog längre än gränsen 3 sekunder"
    )


def test_shipped_templates_are_listed_by_hash_and_render_in_the_app(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sums = (SHIPPED_TEMPLATES / "SHA256SUMS").read_text().split()
    shipped = sorted(p.name for p in SHIPPED_TEMPLATES.glob("*.docx"))
    assert sorted(sums[1::2]) == shipped
    for name in shipped:
        assert templates.is_trusted(SHIPPED_TEMPLATES / name, templates.template_bytes(name))
    monkeypatch.setattr(templates, "run_guarded", _never)
    assert templates.sample_document(NAME)[:2] == b"PK"


def test_a_changed_shipped_template_is_rendered_in_the_child(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "mallar"
    copy.mkdir()
    for path in SHIPPED_TEMPLATES.iterdir():
        if path.is_file():
            (copy / path.name).write_bytes(path.read_bytes())
    (copy / NAME).write_bytes(edited_template(NAME, {"Sammanfattning": NESTED_LOOP}))
    monkeypatch.setenv("AUDIT_TEMPLATE_DIR", str(copy))
    _short_time_limit(monkeypatch)
    assert not templates.is_trusted(copy / NAME, (copy / NAME).read_bytes())
    with pytest.raises(GuardLimit, match="tog längre än gränsen"):
        templates.sample_document(NAME)


def test_an_uploaded_template_renders_in_the_child_with_the_same_result(data_dir: Path) -> None:
    changed = edited_template(NAME, {"Sammanfattning": "Sammanfattning av ärendet"})
    templates.save_template(ADMIN, NAME, changed)
    rendered = templates.sample_document(NAME)
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        assert "Sammanfattning av ärendet" in archive.read("word/document.xml").decode()


# Found by the schedule fuzz test (1,000 examples) after the new reader was merged: both ended
# as "läsningen avbröts oväntat" from the guarded child instead of a Swedish message.
FUZZ_FOUND = {
    "carriage return inside a line": (
        b"Datum;Start;Slut;Befattning;Avdelning\r\n2026-11-02;07:00;15:00;usk;A\r\n1;2\r3;4\r\n"
    ),
    "quote running over the line end before the header": (
        '\t, ,"\n"\r\n,,Start,,,Datum,Anteckning,Tid,Avdelning\r\n\r\n'
        "2030-08-12,0.9,0.5,2029-02-12,2030-04-25\r\n"
    ).encode("utf-16"),
}


@pytest.mark.parametrize("case", list(FUZZ_FOUND))
def test_csv_schedules_the_fuzzer_found_get_a_swedish_message(case: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        guarded.read_schedule(FUZZ_FOUND[case], filename="schema.csv")
    assert caught.value.message.startswith("schema.csv: ")
    assert "oväntat" not in caught.value.message


# Found by the checklist-import fuzz test in a busy-core run of make test: a 1.7 KB workbook
# whose sheet makes calamine panic ("chunk size must be non-zero"). pyo3 raises the panic as a
# PanicException derived from BaseException, which `except Exception` let through to the
# guard's "läsningen avbröts oväntat (PanicException)".
CALAMINE_PANIC = (Path(__file__).parent / "calamine_panic.xlsx").read_bytes()
READERS: dict[str, Callable[[bytes, str], object]] = {
    "checklist": checklists.read_upload,
    "requirements": registers.parse_requirements_excel,
    "indicators": lambda data, name: indicators.parse_results(data, name, []),
    "schedule": lambda data, name: guarded.read_schedule(data, filename=name),
}


# Found by the requirement-import fuzz test in the next busy-core run: a member's local header
# offset that makes zipfile raise ValueError ("negative seek value") in the size check.
BAD_OFFSET = (Path(__file__).parent / "zip_bad_offset.xlsx").read_bytes()


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("data", [CALAMINE_PANIC, BAD_OFFSET], ids=["panic", "bad-offset"])
def test_a_workbook_that_breaks_the_reader_gets_a_swedish_message(reader: str, data: bytes) -> None:
    try:
        READERS[reader](data, "fil.xlsx")
    except UserError as exc:
        assert "fil.xlsx" in exc.message
        assert "oväntat" not in exc.message and "Exception" not in exc.message, exc.message
    # a reader that finds nothing wrong with it (another engine read it) is fine too


@pytest.mark.parametrize("case", list(HOSTILE))
def test_indicator_import_refuses_hostile_workbooks(case: str) -> None:
    make, expected = HOSTILE[case]
    with pytest.raises(ValidationFailed) as caught:
        indicators.parse_results(make(), "indikatorer.xlsx", [])
    assert "indikatorer.xlsx" in caught.value.message
    assert expected in caught.value.message
