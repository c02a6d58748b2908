"""Signals about a contractor from outside the follow-ups (lex Sarah, lex Maria, klagomål,
synpunkter, IVO-beslut, reports not delivered): counts and categories, never people."""

from audit_app.services.signals.records import (
    MeetingSignals,
    SignalFilter,
    SignalInput,
    SignalRow,
    counted_between,
    list_signals,
    meeting_signals,
    save_signal,
    unit_recent,
)

__all__ = [
    "MeetingSignals",
    "SignalFilter",
    "SignalInput",
    "SignalRow",
    "counted_between",
    "list_signals",
    "meeting_signals",
    "save_signal",
    "unit_recent",
]
