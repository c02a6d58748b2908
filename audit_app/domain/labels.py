"""Swedish labels of every enum: one table each, used by pages, documents, exports and the CLI."""

from enum import Enum
from typing import Any

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

ROLE_LABELS: dict[Role, str] = {
    Role.admin: "Administratör",
    Role.revisor: "Revisor / utvecklingsledare",
    Role.forvaltningschef: "Förvaltningschef",
    Role.lasare: "Läsare",
    Role.utredare: "MAS / utredningssekreterare",
}
KIND_LABELS: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "Uppföljning av avtal",
    FollowUpKind.ledningssystem: "Uppföljning av ledningssystem",
    FollowUpKind.kvalitetsrevision: "Kvalitetsrevision",
    FollowUpKind.riktad: "Särskilt riktad uppföljning",
    FollowUpKind.bistandsarenden: "Kontroll av biståndsärenden",
    FollowUpKind.ateruppfoljning: "Återuppföljning",
}
KIND_SHORT_LABELS: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "Avtal",
    FollowUpKind.ledningssystem: "Ledningssystem",
    FollowUpKind.kvalitetsrevision: "Kvalitetsrevision",
    FollowUpKind.riktad: "Riktad",
    FollowUpKind.bistandsarenden: "Biståndsärenden",
    FollowUpKind.ateruppfoljning: "Återuppföljning",
}
"""For narrow table columns (the overview)."""
STATUS_LABELS: dict[FollowUpStatus, str] = {
    FollowUpStatus.planerad: "Planerad",
    FollowUpStatus.pagar: "Pågår",
    FollowUpStatus.klar: "Klar för justering",
    FollowUpStatus.justerad: "Justerad",
}
METHOD_LABELS: dict[Method, str] = {
    Method.dokumentgranskning: "Dokumentgranskning",
    Method.intervju: "Intervju",
    Method.observation: "Observation",
    Method.anmalt_besok: "Anmält besök",
    Method.oanmalt_besok: "Oanmält besök",
}
REASON_LABELS: dict[RiktadReason, str] = {
    RiktadReason.politiskt_beslut: "Politiskt beslut",
    RiktadReason.ledningsgrupp: "Beslut i förvaltningens ledningsgrupp",
    RiktadReason.onskemal: "Önskemål om uppföljning av en viss verksamhet",
    RiktadReason.infor_upphandling: "Inför en upphandling",
    RiktadReason.infor_forlangning: "Inför förlängning av avtal",
    RiktadReason.kvalitetsrevision: "Resultat i kvalitetsrevision",
}
RESULT_LABELS: dict[Result, str] = {
    Result.uppfyllt: "Uppfyllt",
    Result.delvis_uppfyllt: "Delvis uppfyllt",
    Result.ej_uppfyllt: "Ej uppfyllt",
    Result.ej_aktuellt: "Ej aktuellt",
    Result.ej_bedomd: "Ej bedömd",
}
FINDING_KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.avvikelse: "Avvikelse",
    FindingKind.forbattringsomrade: "Förbättringsområde",
    FindingKind.iakttagelse: "Iakttagelse",
}
FINDING_STATUS_LABELS: dict[FindingStatus, str] = {
    FindingStatus.foreslagen: "Föreslagen",
    FindingStatus.bekraftad: "Bekräftad",
    FindingStatus.avfardad: "Avfärdad",
    FindingStatus.stangd: "Stängd",
}
ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.oppen: "Öppen",
    ActionStatus.pagar: "Pågår",
    ActionStatus.genomford: "Genomförd",
    ActionStatus.verifierad: "Verifierad",
    ActionStatus.ej_genomford: "Ej genomförd",
}
REVIEW_MARK_LABELS: dict[ReviewMark, str] = {
    ReviewMark.genomford: "Genomförd",
    ReviewMark.verifierad: "Verifierad",
    ReviewMark.ej_genomford: "Ej genomförd",
    ReviewMark.kvarstar: "Kvarstår",
}
UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.sarskilt_boende: "Särskilt boende",
    UnitKind.hemtjanst: "Hemtjänst",
    UnitKind.lss_bostad: "LSS bostad",
    UnitKind.daglig_verksamhet: "Daglig verksamhet",
}
REQUIREMENT_KIND_LABELS: dict[RequirementKind, str] = {
    RequirementKind.ska: "SKA",
    RequirementKind.bor: "BÖR",
}
ITEM_KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.ska_krav: "SKA-krav",
    ItemKind.bor_krav: "BÖR-krav",
    ItemKind.fraga: "Fråga",
}
ANSWER_LABELS: dict[AnswerType, str] = {
    AnswerType.bedomning: "Bedömning",
    AnswerType.ja_nej: "Ja/nej",
    AnswerType.tal: "Tal",
    AnswerType.text: "Text",
    AnswerType.datum: "Datum",
}
SIDE_LABELS: dict[Side, str] = {Side.kommun: "Kommunen", Side.utforare: "Utföraren"}
SECTION_ROLE_LABELS: dict[SectionRole, str] = {
    SectionRole.previous: "Föregående uppföljning",
    SectionRole.staffing: "Bemanning",
    SectionRole.requirements: "Avtalets krav",
    SectionRole.findings: "Iakttagelser",
    SectionRole.action_plan: "Åtgärdsplan",
}
STATUS_LEVEL_LABELS: dict[StatusLevel, str] = {
    StatusLevel.gron: "Grön",
    StatusLevel.gul: "Gul",
    StatusLevel.rod: "Röd",
}
PROCUREMENT_LABELS: dict[ProcurementForm, str] = {
    ProcurementForm.lou: "LOU (upphandlat avtal)",
    ProcurementForm.lov: "LOV (valfrihetssystem)",
}
SIGNAL_KIND_LABELS: dict[SignalKind, str] = {
    SignalKind.lex_sarah: "Lex Sarah",
    SignalKind.lex_maria: "Lex Maria",
    SignalKind.klagomal: "Klagomål",
    SignalKind.synpunkt: "Synpunkt",
    SignalKind.ivo_beslut: "IVO-beslut",
    SignalKind.ej_inlamnad: "Ej inlämnad rapport",
}
INVESTIGATION_LABELS: dict[InvestigationStatus, str] = {
    InvestigationStatus.anmald: "Anmäld",
    InvestigationStatus.under_utredning: "Under utredning",
    InvestigationStatus.avslutad: "Avslutad",
}
SANCTION_LABELS: dict[SanctionKind, str] = {
    SanctionKind.papekande: "Påpekande",
    SanctionKind.vite: "Vite",
    SanctionKind.prisavdrag: "Prisavdrag",
    SanctionKind.havning: "Hävning",
    SanctionKind.aterkallat_godkannande: "Återkallat godkännande",
}

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
