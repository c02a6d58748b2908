"""The limits are settings: every one the code reads is listed, with its default, in the table
that documents them (limits.py), and every listed one is read."""

from __future__ import annotations

import inspect
import re

import pytest

from audit_app.services.untrusted import limits

ROW = re.compile(r"^\| (AUDIT_[A-Z_]+) \| ([\d.]+) \| .+ \|$", re.MULTILINE)
READ = re.compile(r'_number\("(AUDIT_[A-Z_]+)", ([\d_.]+)\)')


def _number(text: str) -> float:
    return float(text.replace("_", ""))


def test_every_limit_is_listed_with_its_default() -> None:
    listed = {name: _number(default) for name, default in ROW.findall(limits.__doc__ or "")}
    read = {name: _number(default) for name, default in READ.findall(inspect.getsource(limits))}
    assert len(read) >= 18
    assert listed == read


def test_a_setting_changes_its_limit_and_nonsense_keeps_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDIT_EVIDENCE_MAX_MB", "2")
    monkeypatch.setenv("AUDIT_GUARD_SECONDS", "7.5")
    monkeypatch.setenv("AUDIT_ZIP_MAX_RATIO", "inte ett tal")
    monkeypatch.setenv("AUDIT_SHEET_MAX_ROWS", "-1")
    assert limits.file_limits().evidence_bytes == 2 * limits.MB
    assert limits.reading_limits().seconds == 7.5
    assert limits.file_limits().zip_ratio == 200
    assert limits.file_limits().sheet_rows == 1_500_000
