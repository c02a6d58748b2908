"""Swedish labels of every enum: one table each (in labels.toml), for pages, documents, exports, CLI."""

import tomllib
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from audit_app.domain.svtext import Noun
from audit_app.models import (
    ActionStatus,
    AnswerType,
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
    InvestigationStatus,
    ItemKind,
    Method,
    ProcurementForm,
    RequirementKind,
    Result,
    ReviewMark,
    RiktadReason,
    Role,
    SanctionKind,
    SectionRole,
    Side,
    SignalKind,
    StatusLevel,
    UnitKind,
)

E = TypeVar("E", bound=Enum)

_WORDS = tomllib.loads((Path(__file__).parent / "labels.toml").read_text(encoding="utf-8"))


def words(table: str, enum: type[E]) -> dict[E, str]:
    """Return the Swedish words of `enum` from the table of labels.toml; refuse a gap or a stray."""
    given = _WORDS[table]
    missing = [member.value for member in enum if member.value not in given]
    stray = sorted(set(given) - {member.value for member in enum})
    if missing or stray:
        raise ValueError(f"labels.toml [{table}]: missing {missing}, unknown {stray}")
    return {member: given[member.value] for member in enum}


ROLE_LABELS = words("roles", Role)
KIND_LABELS = words("followup_kinds", FollowUpKind)
KIND_SHORT_LABELS = words("followup_kinds_short", FollowUpKind)
"""For narrow table columns (the overview)."""
STATUS_LABELS = words("followup_statuses", FollowUpStatus)
METHOD_LABELS = words("methods", Method)
REASON_LABELS = words("riktad_reasons", RiktadReason)
RESULT_LABELS = words("results", Result)
FINDING_KIND_LABELS = words("finding_kinds", FindingKind)
FINDING_STATUS_LABELS = words("finding_statuses", FindingStatus)
ACTION_STATUS_LABELS = words("action_statuses", ActionStatus)
REVIEW_MARK_LABELS = words("review_marks", ReviewMark)
UNIT_KIND_LABELS = words("unit_kinds", UnitKind)
REQUIREMENT_KIND_LABELS = words("requirement_kinds", RequirementKind)
ITEM_KIND_LABELS = words("item_kinds", ItemKind)
ANSWER_LABELS = words("answer_types", AnswerType)
SIDE_LABELS = words("sides", Side)
SECTION_ROLE_LABELS = words("section_roles", SectionRole)
STATUS_LEVEL_LABELS = words("status_levels", StatusLevel)
PROCUREMENT_LABELS = words("procurement_forms", ProcurementForm)
SIGNAL_KIND_LABELS = words("signal_kinds", SignalKind)
INVESTIGATION_LABELS = words("investigation_statuses", InvestigationStatus)
SANCTION_LABELS = words("sanction_kinds", SanctionKind)

_TABLES: dict[type[Enum], dict[Any, str]] = {
    Role: ROLE_LABELS,
    FollowUpKind: KIND_LABELS,
    FollowUpStatus: STATUS_LABELS,
    Method: METHOD_LABELS,
    RiktadReason: REASON_LABELS,
    Result: RESULT_LABELS,
    FindingKind: FINDING_KIND_LABELS,
    FindingStatus: FINDING_STATUS_LABELS,
    ActionStatus: ACTION_STATUS_LABELS,
    ReviewMark: REVIEW_MARK_LABELS,
    UnitKind: UNIT_KIND_LABELS,
    RequirementKind: REQUIREMENT_KIND_LABELS,
    ItemKind: ITEM_KIND_LABELS,
    AnswerType: ANSWER_LABELS,
    Side: SIDE_LABELS,
    SectionRole: SECTION_ROLE_LABELS,
    StatusLevel: STATUS_LEVEL_LABELS,
    ProcurementForm: PROCUREMENT_LABELS,
    SignalKind: SIGNAL_KIND_LABELS,
    InvestigationStatus: INVESTIGATION_LABELS,
    SanctionKind: SANCTION_LABELS,
}


def label(value: Enum) -> str:
    """Return the Swedish label of any enum member of the domain."""
    return _TABLES[type(value)][value]


def label_of(enum: type[Enum], code: str | None, default: str = "") -> str:
    """Return the label of a stored code (e.g. from a snapshot); the code itself if unknown."""
    if not code:
        return default
    try:
        return _TABLES[enum][enum(code)]
    except (ValueError, KeyError):
        return code


KIND_NOUNS: dict[FollowUpKind, Noun] = {
    FollowUpKind.avtal: Noun("uppföljning av avtal", "uppföljningar av avtal"),
    FollowUpKind.ledningssystem: Noun(
        "uppföljning av ledningssystem", "uppföljningar av ledningssystem"
    ),
    FollowUpKind.kvalitetsrevision: Noun("kvalitetsrevision", "kvalitetsrevisioner"),
    FollowUpKind.riktad: Noun("särskilt riktad uppföljning", "särskilt riktade uppföljningar"),
    FollowUpKind.bistandsarenden: Noun(
        "kontroll av biståndsärenden", "kontroller av biståndsärenden"
    ),
    FollowUpKind.ateruppfoljning: Noun("återuppföljning", "återuppföljningar"),
}
"""Each kind of follow-up as a countable noun ('två uppföljningar av avtal')."""
