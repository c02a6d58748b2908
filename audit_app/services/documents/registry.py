"""Every Word template the app uses, in one explicit list: file name, purpose, sample context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from audit_app.errors import UserError
from audit_app.models import FollowUpKind
from audit_app.services.documents.sample import (
    committee_sample,
    minutes_sample,
    quarterly_sample,
    yearly_sample,
)


@dataclass(frozen=True)
class TemplateSpec:
    """A template the app uses: its file name, what it is for, and a sample context."""

    filename: str
    label: str
    used_for: str
    sample: Callable[[], dict[str, Any]]


MINUTES_AVTAL = "minnesanteckningar_avtal.docx"
MINUTES_OTHER = "minnesanteckningar_uppfoljning.docx"
MINUTES_RECHECK = "minnesanteckningar_ateruppfoljning.docx"
QUALITY_AUDIT = "rapport_kvalitetsrevision.docx"
COMMITTEE_TEMPLATE = "tjansteskrivelse.docx"
YEARLY_TEMPLATE = "kvalitetsberattelse_bidrag.docx"
QUARTERLY_TEMPLATE = "rapport_kvalitetsradet.docx"

MINUTES_TEMPLATES: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: MINUTES_AVTAL,
    FollowUpKind.ledningssystem: MINUTES_OTHER,
    FollowUpKind.riktad: MINUTES_OTHER,
    FollowUpKind.bistandsarenden: MINUTES_OTHER,
    FollowUpKind.kvalitetsrevision: QUALITY_AUDIT,
    FollowUpKind.ateruppfoljning: MINUTES_RECHECK,
}
"""The template of the minutes of each kind of follow-up."""

TEMPLATES: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        YEARLY_TEMPLATE,
        "Kvalitetsberättelse, bidrag",
        "Förvaltningens årliga bidrag till kvalitetsberättelsen, enligt kommunens mall "
        "(uppföljningar, resultat, avvikelser, åtgärder), med läget den 31 december",
        yearly_sample,
    ),
    TemplateSpec(
        MINUTES_RECHECK,
        "Minnesanteckningar, återuppföljning",
        "Återuppföljning av åtgärder",
        partial(minutes_sample, FollowUpKind.ateruppfoljning),
    ),
    TemplateSpec(
        MINUTES_AVTAL,
        "Minnesanteckningar, uppföljning av avtal",
        "Uppföljning av avtal (policyns fyra punkter)",
        partial(minutes_sample, FollowUpKind.avtal),
    ),
    TemplateSpec(
        MINUTES_OTHER,
        "Minnesanteckningar, övriga uppföljningar",
        "Ledningssystem, särskilt riktad uppföljning och kontroll av biståndsärenden",
        partial(minutes_sample, FollowUpKind.ledningssystem),
    ),
    TemplateSpec(
        QUARTERLY_TEMPLATE,
        "Rapport till kvalitetsrådet",
        "Kvartalsrapporten om uppföljningarna till kvalitetsrådet (ingen beslutspunkt)",
        quarterly_sample,
    ),
    TemplateSpec(
        QUALITY_AUDIT,
        "Rapport, kvalitetsrevision",
        "Kvalitetsrevision",
        partial(minutes_sample, FollowUpKind.kvalitetsrevision),
    ),
    TemplateSpec(
        COMMITTEE_TEMPLATE,
        "Tjänsteskrivelse",
        "Tjänsteskrivelse till utskottet om en uppföljning",
        committee_sample,
    ),
)
"""Every template, in the order the page "Dokumentmallar" lists them (by file name)."""


def template_specs() -> list[TemplateSpec]:
    return list(TEMPLATES)


def template_spec(filename: str) -> TemplateSpec:
    for spec in TEMPLATES:
        if spec.filename == filename:
            return spec
    raise UserError(f"Det finns ingen dokumentmall som heter {filename!r}.")


def minutes_template(kind: FollowUpKind) -> str:
    """The template of the minutes of this kind of follow-up."""
    return MINUTES_TEMPLATES[kind]
