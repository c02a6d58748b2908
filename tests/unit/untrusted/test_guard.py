"""The guarded child: results come back as plain data or Arrow, a user error as it is, and a
memory limit, a time limit, a signal or a crash as a Swedish message naming the file."""

from __future__ import annotations

import os
import sys
import threading
import types
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from audit_app.errors import ValidationFailed
from audit_app.services.untrusted.errors import GuardLimit
from audit_app.services.untrusted.guard import run_guarded
from audit_app.services.untrusted.limits import ChildLimits
from tests.unit.untrusted import children

SMALL = ChildLimits(memory_mb=256, seconds=20)


def test_plain_data_comes_back_as_it_was() -> None:
    assert run_guarded(children.plain, filename="x.xlsx") == children.plain()


def test_tables_come_back_through_arrow_as_frame_or_table() -> None:
    result = run_guarded(children.tables, filename="schema.xlsx")
    frame = result["frame"].value()
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("list") == {"pass": [1, 2], "roll": ["usk", "ssk"]}
    table = result["table"].value()
    assert isinstance(table, pa.Table)
    assert table.column("x").to_pylist() == [1.5, None]


def test_a_user_error_in_the_child_comes_back_with_every_problem() -> None:
    with pytest.raises(ValidationFailed) as caught:
        run_guarded(children.refuse, "krav.xlsx", filename="krav.xlsx")
    assert caught.value.message == (
        "Filen 'krav.xlsx' kunde inte läsas in:\nBlad \"Blad1\", rad 3: kravtexten är tom."
    )
    assert [e.field for e in caught.value.errors] == ["Blad1!3!Krav"]


def test_memory_over_the_limit_is_a_swedish_message_naming_the_file() -> None:
    with pytest.raises(GuardLimit) as caught:
        run_guarded(children.grab_memory, 512, filename="schema.xlsx", limits=SMALL)
    assert caught.value.reason == "memory"
    assert caught.value.message.startswith(
        "Filen schema.xlsx kunde inte läsas: den kräver mer minne än gränsen 256 MB."
    )
    assert run_guarded(children.grab_memory, 64, filename="schema.xlsx", limits=SMALL) == (
        64 * 1024 * 1024
    )


def test_a_child_that_never_ends_is_stopped_at_the_time_limit() -> None:
    with pytest.raises(GuardLimit) as caught:
        run_guarded(children.spin, filename="schema.ods", limits=ChildLimits(256, 1))
    assert caught.value.reason == "time"
    assert caught.value.message.startswith(
        "Filen schema.ods kunde inte läsas: det tog längre än gränsen 1 sekund och avbröts."
    )


@pytest.mark.parametrize(
    ("func", "detail"),
    [
        (children.segfault, "SIGSEGV"),
        (children.fail_unexpectedly, "KeyError"),
    ],
)
def test_a_crash_in_the_child_is_a_swedish_message_and_the_app_lives_on(
    func: object, detail: str
) -> None:
    with pytest.raises(GuardLimit) as caught:
        run_guarded(func, filename="schema.xls")  # type: ignore[arg-type]
    assert caught.value.reason == "crash"
    assert caught.value.message.startswith(
        f"Filen schema.xls kunde inte läsas: läsningen avbröts oväntat ({detail})."
    )
    assert run_guarded(children.plain, filename="x") == children.plain()


def test_a_child_killed_from_outside_counts_as_out_of_memory() -> None:
    """The kernel's OOM killer sends SIGKILL; the message says memory."""
    with pytest.raises(GuardLimit) as caught:
        run_guarded(children.kill_self, filename="schema.xlsx")
    assert caught.value.reason == "memory"


def test_an_answer_that_would_run_code_in_the_app_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    with pytest.raises(GuardLimit, match="otillåtet svar"):
        run_guarded(children.hostile_answer, str(marker), filename="schema.xlsx")
    assert not marker.exists()


def test_the_child_reads_the_settings_of_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fork server starts once; the settings are handed to every child."""
    run_guarded(children.plain, filename="x")  # the server is running
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "123")
    assert run_guarded(children.setting, "AUDIT_SHEET_MAX_ROWS", filename="x") == "123"


def test_only_module_level_functions_are_run() -> None:
    with pytest.raises(TypeError):
        run_guarded(lambda: 1, filename="x")


def test_calls_from_many_threads_each_get_their_own_answer(tmp_path: Path) -> None:
    answers: dict[int, str] = {}

    def call(number: int) -> None:
        answers[number] = run_guarded(
            children.write_file, str(tmp_path / f"{number}.txt"), filename=f"{number}.csv"
        )

    threads = [threading.Thread(target=call, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {n: str(tmp_path / f"{n}.txt") for n in range(6)}
    assert sorted(os.listdir(tmp_path)) == sorted(f"{n}.txt" for n in range(6))


def test_the_child_does_not_run_the_parents_main_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under Streamlit `__main__` is the app script; a child must never run it again."""
    script = tmp_path / "app.py"
    marker = tmp_path / "ran"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('must not run')\n")
    streamlit_main = types.ModuleType("__main__")
    streamlit_main.__file__ = str(script)
    streamlit_main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", streamlit_main)
    assert run_guarded(children.plain, filename="x") == children.plain()
    assert not marker.exists()
