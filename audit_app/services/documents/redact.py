"""Roles, never names, in documents for political bodies (tjänsteskrivelse, reports)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from audit_app.domain import labels
from audit_app.domain.svtext import lower_first
from audit_app.models import Finding, FindingStatus
from audit_app.services.documents.data import FollowUpData


class Redactor:
    """Replace the names of the people of a follow-up by their role (committee documents)."""

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(
            ((n.strip(), r.strip() or "företrädare") for n, r in people if n and n.strip()),
            key=lambda p: -len(p[0]),
        )
        self._patterns = [
            (re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE), lower_first(role))
            for name, role in pairs
        ]
        # First names and surnames alone, too (e.g. "Maria sa att ...").
        parts: dict[str, str] = {}
        for name, role in pairs:
            for word in name.split():
                if len(word) >= 3:
                    parts.setdefault(word, lower_first(role))
        # "lex Maria" and "lex Sarah" are laws, not people.
        self._parts = [
            (re.compile(r"(?<![Ll]ex )(?<!\w)" + re.escape(w) + r"(?!\w)"), r)
            for w, r in parts.items()
        ]

    def __call__(self, text: str) -> str:
        for pattern, role in self._patterns:
            text = pattern.sub(role, text)
        for pattern, role in self._parts:
            text = pattern.sub(role, text)
        return text


def redactor_for(data: FollowUpData) -> Redactor:
    """The redactor of one follow-up: participants, the contractor's contact, author, justerare."""
    people = [(str(p.get("name", "")), str(p.get("role", ""))) for p in data.followup.participants]
    for contractor in data.contractors:
        people.append((contractor.contact_name, contractor.contact_role))
    if data.author_name:
        people.append((data.author_name, "utvecklingsledare"))
    if data.justerad_by:
        people.append((data.justerad_by, "förvaltningschef"))
    return Redactor(people)


def lessons_of(findings: Iterable[Finding], redact: Redactor) -> list[dict[str, str]]:
    """The findings marked for the committee, names replaced by roles."""
    out = []
    for f in findings:
        if not f.for_committee or f.status is FindingStatus.avfardad:
            continue
        out.append(
            {
                "title": redact(f"{labels.FINDING_KIND_LABELS[f.kind]}: {f.title}"),
                "text": redact(f.description or ""),
            }
        )
    return out
