"""No personnummer or samordningsnummer is stored through any service that takes free text.

Every write service (every `(session, actor, ...)` function of `audit_app.services`, plus the
account service `auth.add_user`) is called with a personnummer written in each of SPELLINGS in
each of its text inputs, found by introspection: str parameters, mappings of text, and the str
fields of input dataclasses and pydantic models (also inside lists). A new service without a
recipe, or a new text field without the guard, fails this test. A call counts as refused when
it raises the guard's Swedish message naming the field; as stored when the number's digits are
found anywhere in the database afterwards (which must never happen).
"""

import dataclasses
import importlib
import inspect
import io
import json
import pkgutil
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, select

import audit_app.services
from audit_app import auth
from audit_app.auth import SYSTEM
from audit_app.db import make_engine, session_scope
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import (
    Contract,
    ContractUnit,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Indicator,
    IndicatorKind,
    Requirement,
    Role,
    SanctionKind,
    SignalKind,
    StaffingAnalysis,
    Unit,
)
from audit_app.services import checklists, followups, registers, sanctions, signals
from audit_app.services.indicators.examples import examples as indicator_examples
from audit_app.services.indicators.store import IndicatorInput, ResultInput
from audit_app.services.overview.planning import Proposal
from audit_app.services.privacy import find_personnummer, looks_like_personnummer, normalise
from audit_app.services.settings import DocumentSettings, Official
from audit_app.services.staffing.rules import load_rules, rules_to_yaml
from tests.conftest import ADMIN, REVISOR, ROOT
from tests.unit.staffing.fixtures import RULES_YAML, write_xlsx_style_a

# 12 spellings of Tolvan Tolvansson's personnummer and 4 of a samordningsnummer (day + 60).
SPELLINGS = [
    "19121212-1212",
    "121212-1212",
    "191212121212",
    "1212121212",
    "121212+1212",
    "121212\u20131212",  # en dash
    "121212\u20141212",  # em dash
    "121212\u22121212",  # minus sign
    "121212\u00a01212",  # no-break space
    "121212\u2009-\u20091212",  # thin spaces
    "121212 - 1212",
    "12.12.12-1212",
    "121272-1219",
    "19121272\u20131219",
    "\uff11\uff12\uff11\uff12\uff11\uff12-\uff11\uff12\uff11\uff12",  # full-width digits
    "1212\u200b12-1212",  # zero-width space inside
]
DIGITS = ("1212121212", "1212721219")

# Text inputs that are looked-up keys, not free text: a number there is refused by any
# Swedish error (the key does not exist), and nothing is stored.
KEYS = {"item_key", "username", "mark", "list_key", "seen", "key"}
# (`seen` is the value a person saw, compared with the stored one and never stored itself.)
# Text that is used but never stored: a schedule is stored under a name built from its period.
# A password is stored only as its argon2 hash.
NOT_STORED = {
    "audit_app.services.staffing.store.save_analysis:filename",
    "audit_app.auth.add_user:password",
    # A proposal is the cadence's own (unit and contractor names, its key and basis); only its
    # ids and dates are used to plan.
    "audit_app.services.indicators.excel.import_results:filename",
    "audit_app.services.overview.planning.accept_proposal:proposal.key",
    "audit_app.services.overview.planning.accept_proposal:proposal.unit",
    "audit_app.services.overview.planning.accept_proposal:proposal.contractor",
    "audit_app.services.overview.planning.accept_proposal:proposal.basis",
}


def _services() -> list[tuple[str, Callable[..., Any]]]:
    found: dict[str, Callable[..., Any]] = {"audit_app.auth.add_user": auth.add_user}
    for info in pkgutil.walk_packages(audit_app.services.__path__, "audit_app.services."):
        if info.name == "audit_app.services.audit_log":
            continue  # called inside the services, with what they already checked
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["session", "actor"] and not getattr(fn, "__reads__", False):
                found[f"{module.__name__}.{name}"] = fn
    return sorted(found.items())


# --------------------------------------------------------------------------- slots


@dataclasses.dataclass(frozen=True)
class Slot:
    """One text input of a service: a path from a parameter into its value."""

    service: str
    path: tuple[str | int, ...]

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def is_key(self) -> bool:
        return str(self.path[-1]) in KEYS


def _is_text(tp: Any) -> bool:
    return tp is str or (_union(tp) and str in typing.get_args(tp))


def _union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _strip_optional(tp: Any) -> Any:
    if _union(tp):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _is_input_model(tp: Any) -> bool:
    return inspect.isclass(tp) and (
        dataclasses.is_dataclass(tp)
        or (
            issubclass(tp, BaseModel)
            and not (issubclass(tp, SQLModel) and hasattr(tp, "__table__"))
        )
    )


def _fields(tp: Any) -> dict[str, Any]:
    hints = typing.get_type_hints(tp)
    if dataclasses.is_dataclass(tp):
        return {f.name: hints[f.name] for f in dataclasses.fields(tp)}
    return {name: hints[name] for name in tp.model_fields}


def _slots_of(tp: Any, prefix: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if _is_text(tp):
        yield prefix
    elif origin in (list, Sequence, tuple) and typing.get_args(tp):
        yield from _slots_of(typing.get_args(tp)[0], (*prefix, 0))
    elif origin in (dict, Mapping) and typing.get_args(tp)[0] is str:
        yield (*prefix, "*")
    elif _is_input_model(tp):
        for name, field_type in _fields(tp).items():
            yield from _slots_of(field_type, (*prefix, name))


def slots(name: str, service: Callable[..., Any]) -> list[Slot]:
    hints = typing.get_type_hints(service)
    params = list(inspect.signature(service).parameters)[2:]
    return [Slot(name, path) for p in params for path in _slots_of(hints.get(p), (p,))]


def _put(value: Any, path: tuple[str | int, ...], text_value: str) -> Any:
    """Return `value` with `text_value` at `path` (copies, never changes the original)."""
    if not path:
        return text_value
    head, rest = path[0], path[1:]
    if head == "*":
        key = next(iter(value), "personaltathet") if value else "personaltathet"
        return {**(value or {}), key: text_value}
    if isinstance(head, int):
        items = list(value or [])
        if not items:
            return [_put(None, rest, text_value)]
        return [_put(items[0], rest, text_value), *items[1:]]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{head: _put(getattr(value, head), rest, text_value)})
    if isinstance(value, BaseModel):
        return value.model_copy(update={head: _put(getattr(value, head), rest, text_value)})
    raise AssertionError(f"cannot put text at {path} of {value!r}")


def with_text(kwargs: dict[str, Any], slot: Slot, text_value: str) -> dict[str, Any]:
    param, rest = str(slot.path[0]), slot.path[1:]
    if not rest and _is_text_list(kwargs.get(param)):
        return {**kwargs, param: [text_value]}
    return {**kwargs, param: _put(kwargs.get(param), rest, text_value)}


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# --------------------------------------------------------------------------- the world


@dataclasses.dataclass
class World:
    """Records of the demo database the recipes call the services with."""

    ongoing: uuid.UUID
    item_key: str
    proposal: uuid.UUID
    finding: uuid.UUID
    action: uuid.UUID
    carried: uuid.UUID
    justerad: uuid.UUID
    contract: uuid.UUID
    contractor: uuid.UUID
    unit: uuid.UUID
    unit_name: str
    analysis: uuid.UUID
    schedule: bytes
    sent: uuid.UUID
    indicator: uuid.UUID
    indicator_book: bytes
    example: str
    # A confirmed avvikelse of a contract's follow-up and a requirement of that contract (what a
    # sanction rests on).
    deviation: uuid.UUID | None = None
    deviation_contract: uuid.UUID | None = None
    requirement: uuid.UUID | None = None


def _world(engine: Engine, tmp_path: Path) -> World:
    with session_scope(engine) as s:
        ongoing = next(
            f
            for f in s.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)).all()
            if f.kind is FollowUpKind.avtal and followups.carried_actions(s, f)
        )
        item = next(i for i in ongoing.agenda if i.get("kind") == "ska_krav")
        proposal = followups.add_finding(
            s, REVISOR, ongoing.id, FindingKind.avvikelse, "Förslag att pröva"
        )
        proposal.status = FindingStatus.foreslagen
        finding = followups.add_finding(
            s, REVISOR, ongoing.id, FindingKind.forbattringsomrade, "Rutiner för nyckelkvittens"
        )
        action = followups.add_action(s, REVISOR, finding.id, "Ta fram rutin", "Enhetschef")
        carried = followups.carried_actions(s, ongoing)[0][2]
        justerad = s.exec(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.justerad)
        ).first()
        link = s.exec(select(ContractUnit)).first()
        contract = s.get(Contract, link.contract_id)  # type: ignore[union-attr]
        analysis = StaffingAnalysis(
            followup_id=ongoing.id,
            filename="schema.xlsx",
            file_sha256="0" * 64,
            result={"breaches": [], "periods": [], "warnings": []},
        )
        s.add(analysis)
        s.flush()
        world = World(
            ongoing=ongoing.id,
            item_key=item["key"],
            proposal=proposal.id,
            finding=finding.id,
            action=action.id,
            carried=carried.id,
            justerad=justerad.id,  # type: ignore[union-attr]
            contract=contract.id,  # type: ignore[union-attr]
            contractor=contract.contractor_id,  # type: ignore[union-attr]
            unit=link.unit_id,  # type: ignore[union-attr]
            unit_name=s.get(Unit, link.unit_id).name,  # type: ignore[union-attr]
            analysis=analysis.id,
            schedule=write_xlsx_style_a(tmp_path / "schema.xlsx").read_bytes(),
            sent=_sent(s),
            **_indicator_world(s, contract.id),  # type: ignore[union-attr]
        )
        for avvikelse, origin in s.exec(
            select(Finding, FollowUp)
            .join(FollowUp, FollowUp.id == Finding.followup_id)  # type: ignore[arg-type]
            .where(
                Finding.kind == FindingKind.avvikelse,
                Finding.status == FindingStatus.bekraftad,
                FollowUp.contract_id.is_not(None),  # type: ignore[union-attr]
            )
        ).all():
            requirement = s.exec(
                select(Requirement).where(Requirement.contract_id == origin.contract_id)
            ).first()
            if requirement is not None:
                world.deviation = avvikelse.id
                world.deviation_contract = origin.contract_id
                world.requirement = requirement.id
                break
    return world


def _sent(s: Session) -> uuid.UUID:
    """A justerad follow-up whose minutes were sent and whose tjänsteskrivelse is not stored."""
    from audit_app.services.documents.case import _stored_committee

    return next(
        f.id
        for f in s.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.justerad)).all()
        if f.minutes_sent_on is not None and _stored_committee(s, f) is None
    )


def _indicator_world(s: Session, contract_id: uuid.UUID) -> dict[str, Any]:
    """A numeric indicator of the contract, a workbook with one result for it, and an example
    the contract does not have yet."""
    ind = next(
        i
        for i in s.exec(select(Indicator).where(Indicator.contract_id == contract_id)).all()
        if i.kind is IndicatorKind.tal
    )
    have = {
        i.example_key for i in s.exec(select(Indicator).where(Indicator.contract_id == contract_id))
    }
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Resultat"
    ws.append(["Indikator", "Period", "Värde", "Status", "Bedömning"])
    ws.append([ind.name, "2030", 50, "", ""])
    book = io.BytesIO()
    wb.save(book)
    example = next(e.key for e in indicator_examples() if e.key not in have)
    return {"indicator": ind.id, "indicator_book": book.getvalue(), "example": example}


def _checklist() -> checklists.Checklist:
    base = checklists.load_yaml(ROOT / "checklists" / "bistandsarenden.yaml")
    return base.model_copy(update={"description": base.description + " Ny version."})


def _plan(w: World) -> followups.PlanInput:
    return followups.PlanInput(
        kind=FollowUpKind.avtal,
        contractor_id=w.contractor,
        planned_date=date(2031, 5, 12),
        unit_ids=[w.unit],
        contract_id=w.contract,
        planned_time="09:30",
        place="Kontoret",
        reason_text="Planerad",
        participants=[followups.Participant("Karin Ek", "Utvecklingsledare", "kommun")],
        title="Avtalsuppföljning våren",
    )


# Every write service: the actor and the keyword arguments of a call that succeeds.
RECIPES: dict[str, Callable[[World], tuple[Any, dict[str, Any]]]] = {
    "audit_app.services.signals.records.save_signal": lambda w: (
        REVISOR,
        {
            "data": signals.SignalInput(
                contractor_id=w.contractor,
                unit_id=w.unit,
                kind=SignalKind.klagomal,
                occurred_on=date(2026, 5, 4),
                category="mat",
                note="Klagomål på kvällsmaten",
            )
        },
    ),
    "audit_app.services.sanctions.ladder.record_sanction": lambda w: (
        REVISOR,
        {
            "data": sanctions.SanctionInput(
                contract_id=w.deviation_contract,  # type: ignore[arg-type]
                kind=SanctionKind.papekande,
                requirement_id=w.requirement,
                decided_on=date(2026, 5, 4),
                decided_by="Förvaltningschef (delegationsbeslut)",
                finding_ids=[w.deviation],  # type: ignore[list-item]
                note="Skriftligt påpekande",
            )
        },
    ),
    "audit_app.auth.add_user": lambda w: (
        ADMIN,
        {
            "username": "ny.person",
            "display_name": "Ny Person",
            "role": Role.lasare,
            "password": "ett-långt-lösenord",
        },
    ),
    "audit_app.services.checklists.versions.import_version": lambda w: (
        ADMIN,
        {"checklist": _checklist(), "source": "uppladdad fil bistand.yaml"},
    ),
    "audit_app.services.checklists.versions.sync_shipped": lambda w: (ADMIN, {}),
    "audit_app.services.documents.stored.justera_and_store": lambda w: (
        REVISOR,
        {"followup_id": w.justerad},
    ),
    "audit_app.services.evidence.store_evidence": lambda w: (
        REVISOR,
        {
            "followup_id": w.ongoing,
            "item_key": w.item_key,
            "filename": "rutin.pdf",
            "data": b"%PDF-1.4 underlag",
        },
    ),
    "audit_app.services.followups.actions.add_action": lambda w: (
        REVISOR,
        {"finding_id": w.finding, "what": "Uppdatera rutinen", "responsible": "Enhetschef"},
    ),
    "audit_app.services.followups.actions.review_action": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "action_id": w.carried, "mark": "kvarstar", "comment": "Pågår"},
    ),
    "audit_app.services.followups.actions.update_action": lambda w: (
        REVISOR,
        {"action_id": w.action, "what": "Ny rutin", "responsible": "Verksamhetschef"},
    ),
    "audit_app.services.followups.assessments.save_assessment": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "item_key": w.item_key, "comment": "Rutinen finns"},
    ),
    "audit_app.services.followups.assessments.save_note": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "key": "personaltathet", "value": "0,3 per plats"},
    ),
    "audit_app.services.followups.assessments.record_measure": lambda w: (
        REVISOR,
        {
            "followup_id": w.ongoing,
            "item_key": w.item_key,
            "measured": "68 % undersköterskor",
            "met": False,
            "analysis_id": w.analysis,
        },
    ),
    "audit_app.services.followups.assessments.confirm_against_measure": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "item_key": w.item_key, "reason": "Vakanserna är tillsatta"},
    ),
    "audit_app.services.overview.planning.add_committee_meeting": lambda w: (
        REVISOR,
        {"meeting_date": date(2031, 3, 4), "note": "Vårens första"},
    ),
    "audit_app.services.overview.planning.remove_committee_meeting": lambda w: (
        REVISOR,
        {"meeting_id": uuid.uuid4()},
    ),
    "audit_app.services.overview.planning.add_commission": lambda w: (
        REVISOR,
        {
            "unit_id": w.unit,
            "decided_on": date(2031, 2, 1),
            "due_by": date(2031, 6, 1),
            "dnr": "SN 2031/12",
            "scope": "Hela verksamheten",
        },
    ),
    "audit_app.services.overview.planning.accept_proposal": lambda w: (
        REVISOR,
        {
            "proposal": Proposal(
                key="ledning-2031",
                unit_id=w.unit,
                unit=w.unit_name,
                contractor_id=w.contractor,
                contractor="Utföraren",
                kinds=(FollowUpKind.ledningssystem,),
                due=date(2031, 5, 12),
                proposed=date(2031, 5, 12),
                overdue=False,
                basis="Utskottets sammanträde",
            ),
            "planned_time": "10:00",
        },
    ),
    "audit_app.services.registers.copy_standard_requirements": lambda w: (
        REVISOR,
        {"contract_id": w.contract, "list_key": "ska_krav_sarskilt_boende"},
    ),
    "audit_app.services.staffing.measures.apply_measures": lambda w: (
        REVISOR,
        {},  # no text of its own: it passes the analysis to record_measure
    ),
    "audit_app.services.documents.case.record_contractor_comments": lambda w: (
        REVISOR,
        {"followup_id": w.sent, "received_on": date(2026, 11, 30), "text": "Inga synpunkter."},
    ),
    "audit_app.services.documents.case.record_minutes_sent": lambda w: (REVISOR, {}),
    "audit_app.services.documents.case.save_committee_case": lambda w: (
        REVISOR,
        {"followup_id": w.sent, "dnr": "VOU 2026/99", "assessment": "Utföraren uppfyller kraven."},
    ),
    "audit_app.services.documents.case.store_committee_report": lambda w: (REVISOR, {}),
    "audit_app.services.documents.case.take_committee_dnr": lambda w: (REVISOR, {}),
    "audit_app.services.settings.take_case_number": lambda w: (REVISOR, {}),
    "audit_app.services.settings.save_document_settings": lambda w: (
        ADMIN,
        {
            "values": DocumentSettings(
                municipality="Exempelby kommun",
                signatory=Official(name="Lars Berg", title="Förvaltningschef"),
                officials=[Official(name="Karin Ek", title="Utvecklingsledare")],
            )
        },
    ),
    "audit_app.services.indicators.excel.import_results": lambda w: (
        REVISOR,
        {"contract_id": w.contract, "data": w.indicator_book, "filename": "resultat.xlsx"},
    ),
    "audit_app.services.indicators.store.add_from_example": lambda w: (
        REVISOR,
        {"contract_id": w.contract, "key": w.example},
    ),
    "audit_app.services.indicators.store.archive_indicator": lambda w: (REVISOR, {}),
    "audit_app.services.indicators.store.record_result": lambda w: (
        REVISOR,
        {"indicator_id": w.indicator, "data": ResultInput(period="2030 T1", value=61.0)},
    ),
    "audit_app.services.indicators.store.record_results": lambda w: (REVISOR, {}),
    "audit_app.services.indicators.store.save_indicator": lambda w: (
        REVISOR,
        {
            "contract_id": w.contract,
            "data": IndicatorInput(
                name="Andel brukare med aktuell genomförandeplan",
                risk="En risk i verksamheten är att planerna inte följs upp.",
                definition="Andel brukare vars plan följts upp senaste halvåret.",
                method="Aktgranskning av tio ärenden.",
                responsible="Verksamhetschef",
                occasion="Två gånger per år",
                unit="%",
                target=90.0,
            ),
        },
    ),
    "audit_app.services.followups.assessments.save_notes": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "notes": {"personaltathet": "0,3 per plats"}},
    ),
    "audit_app.services.followups.findings.add_finding": lambda w: (
        REVISOR,
        {
            "followup_id": w.ongoing,
            "kind": FindingKind.iakttagelse,
            "title": "Nyckelrutin",
            "description": "Saknas på avdelningen",
            "item_key": w.item_key,
            "clause": "5.2",
            "area": "Säkerhet",
        },
    ),
    "audit_app.services.followups.findings.confirm_all": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing},
    ),
    "audit_app.services.followups.findings.confirm_finding": lambda w: (
        REVISOR,
        {"finding_id": w.proposal, "description": "Bekräftad vid besöket"},
    ),
    "audit_app.services.followups.findings.downgrade_finding": lambda w: (
        REVISOR,
        {"finding_id": w.proposal, "reason": "Liten brist"},
    ),
    "audit_app.services.followups.findings.ensure_recheck": lambda w: (REVISOR, {}),
    "audit_app.services.followups.findings.reject_finding": lambda w: (
        REVISOR,
        {"finding_id": w.proposal, "reason": "Felaktigt förslag"},
    ),
    "audit_app.services.followups.findings.set_for_committee": lambda w: (
        REVISOR,
        {"finding_id": w.finding, "value": True},
    ),
    "audit_app.services.followups.lifecycle.ensure_started": lambda w: (REVISOR, {}),
    "audit_app.services.followups.lifecycle.hand_over": lambda w: (REVISOR, {}),
    "audit_app.services.followups.lifecycle.justera": lambda w: (REVISOR, {}),
    "audit_app.services.followups.lifecycle.send_back": lambda w: (REVISOR, {}),
    "audit_app.services.followups.lifecycle.start_correction": lambda w: (
        REVISOR,
        {"followup_id": w.justerad, "reason": "Fel datum i protokollet"},
    ),
    "audit_app.services.followups.lifecycle.start_followup": lambda w: (REVISOR, {}),
    "audit_app.services.followups.planning.plan_followup": lambda w: (
        REVISOR,
        {"data": _plan(w)},
    ),
    "audit_app.services.followups.planning.update_plan": lambda w: (
        REVISOR,
        {"followup_id": w.ongoing, "data": _plan(w)},
    ),
    "audit_app.services.registers.save_contract": lambda w: (
        REVISOR,
        {
            "data": registers.ContractInput(
                "VOF 2031/77",
                "Särskilt boende",
                w.contractor,
                date(2031, 1, 1),
                date(2033, 12, 31),
                [w.unit],
                extension_option="2 år",
            )
        },
    ),
    "audit_app.services.registers.save_contractor": lambda w: (
        REVISOR,
        {
            "data": registers.ContractorInput(
                "Nya Omsorgen AB", "559012-3450", "Eva Ek", "VD", "eva@nya.se"
            )
        },
    ),
    "audit_app.services.registers.save_requirements": lambda w: (
        REVISOR,
        {
            "contract_id": w.contract,
            "rows": [
                registers.RequirementInput("9.1", "Utföraren ska ha en rutin", area="Rutiner")
            ],
        },
    ),
    "audit_app.services.registers.save_unit": lambda w: (
        REVISOR,
        {
            "data": registers.UnitInput(
                w.contractor,
                "Nya Hemmet",
                registers.UnitKind.lss_bostad,
                6,
                ["Avd 1"],
                "Storgatan 1",
            )
        },
    ),
    "audit_app.services.registers.set_archived": lambda w: (REVISOR, {}),
    "audit_app.services.staffing.commitments.save_rules": lambda w: (
        REVISOR,
        {
            "contract_id": w.contract,
            "rules": [load_rules(RULES_YAML).model_copy(update={"unit": w.unit_name})],
        },
    ),
    "audit_app.services.staffing.commitments.save_rules_yaml": lambda w: (
        REVISOR,
        {
            "contract_id": w.contract,
            "text": rules_to_yaml(load_rules(RULES_YAML).model_copy(update={"unit": w.unit_name})),
        },
    ),
    "audit_app.services.staffing.findings.breaches_to_findings": lambda w: (
        REVISOR,
        {"analysis_id": w.analysis, "clause": "7.1"},
    ),
    "audit_app.services.staffing.findings.propose_findings": lambda w: (
        REVISOR,
        {"analysis_id": w.analysis, "clause": "7.1"},
    ),
    "audit_app.services.staffing.store.save_analysis": lambda w: (
        REVISOR,
        {
            "followup_id": w.ongoing,
            "filename": "schema.xlsx",
            "data": w.schedule,
            "rules": load_rules(RULES_YAML),
            "mapping": None,
        },
    ),
    "audit_app.services.staffing.store.save_mapping": lambda w: (
        REVISOR,
        {"contractor_id": w.contractor, "mapping": {"section": "Avdelning"}},
    ),
}


# --------------------------------------------------------------------------- storing


def _collect(written: list[Any]) -> Callable[..., None]:
    """A before_flush listener that keeps every row the session is about to write."""

    def listener(session: Session, _context: Any, _instances: Any) -> None:
        written.extend(session.new)
        written.extend(session.dirty)

    return listener


def _row_text(obj: Any) -> str:
    values = [getattr(obj, a.key) for a in sa_inspect(obj).mapper.column_attrs]
    return f"{type(obj).__name__}: " + json.dumps(values, default=str, ensure_ascii=False)


def _holds_number(value: str) -> bool:
    runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d[\d .+-]*\d", normalise(value))]
    return any(d in r for r in runs for d in DIGITS) or bool(find_personnummer(value))


def _stored_digits(conn: Connection) -> list[str]:
    """Every stored text cell whose digits hold one of the numbers tried."""
    hits = []
    for table in sa_inspect(conn).get_table_names():
        for row in conn.execute(text(f'SELECT * FROM "{table}"')):
            for cell in row:
                if not isinstance(cell, str | bytes):
                    continue
                value = cell.decode("utf-8", "replace") if isinstance(cell, bytes) else cell
                runs = [
                    re.sub(r"\D", "", run) for run in re.findall(r"\d[\d .+-]*\d", normalise(value))
                ]
                if any(d in r for r in runs for d in DIGITS) or find_personnummer(value):
                    hits.append(f"{table}: {value[:80]!r}")
    return hits


def test_every_write_service_has_a_recipe() -> None:
    names = {name for name, _ in _services()}
    assert names - RECIPES.keys() == set(), "add a recipe (and the guard) for new services"
    assert RECIPES.keys() - names == set(), "remove recipes of services that are gone"


def test_the_spellings_are_all_personnummer() -> None:
    assert len(SPELLINGS) >= 10
    assert all(looks_like_personnummer(s) for s in SPELLINGS)


@pytest.fixture
def world_engine(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    engine = make_engine(demo_db)
    yield engine
    engine.dispose()


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_no_personnummer_is_stored_through_any_service(
    world_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = world_engine
    world = _world(engine, tmp_path)
    with engine.connect() as conn:
        assert _stored_digits(conn) == [], "the demo data hold no personnummer to begin with"
    services = dict(_services())
    attempts = refused = not_stored = 0
    stored: list[str] = []
    unguarded: list[str] = []
    fields = 0
    for name, service in sorted(services.items()):
        actor, base = RECIPES[name](world)
        for slot in slots(name, service):
            fields += 1
            for spelling in SPELLINGS:
                attempts += 1
                hostile = f"Gäller {spelling} enligt akten" if not slot.is_key else spelling
                if slot.path[-1] == "filename":
                    hostile += ".xlsx"
                kwargs = with_text(base, slot, hostile)
                session = Session(engine, expire_on_commit=False)
                written: list[Any] = []
                event.listen(session, "before_flush", _collect(written))
                try:
                    service(session, actor, **kwargs)
                    session.flush()
                    hits = [_row_text(obj) for obj in written if _holds_number(_row_text(obj))]
                except ValidationFailed as exc:
                    if "personnummer" in exc.message or slot.is_key:
                        refused += 1
                        continue
                    unguarded.append(f"{name}({slot.name}): {exc.message[:120]}")
                    continue
                except UserError as exc:
                    if slot.is_key:
                        refused += 1
                        continue
                    unguarded.append(f"{name}({slot.name}): {exc.message[:120]}")
                    continue
                finally:
                    session.rollback()  # every attempt starts from the same world
                    session.close()
                if hits:
                    stored.append(f"{name}({slot.name}) {spelling!r}: {hits[0]}")
                    break  # stored once is enough to fail; the rest would repeat it
                assert f"{name}:{slot.name}" in NOT_STORED, f"{name}({slot.name}) accepted it"
                not_stored += 1
    with capsys.disabled():
        print(
            f"\npersonnummer guard: {len(services)} services, {fields} text fields, "
            f"{len(SPELLINGS)} spellings: {attempts} attempts, {refused} refused, "
            f"{not_stored} accepted but not stored (schedule file name, password), {len(stored)} stored"
        )
    assert stored == []
    assert sorted({u.split(":")[0] for u in unguarded}) == []
    assert fields >= 37


def test_control_calls_succeed_so_refusals_are_the_guards(
    world_engine: Engine, tmp_path: Path
) -> None:
    """The recipes are valid calls: with ordinary text each service saves (then rolled back)."""
    world = _world(world_engine, tmp_path)
    for name, service in _services():
        actor, base = RECIPES[name](world)
        if not slots(name, service):
            continue
        with Session(world_engine, expire_on_commit=False) as session:
            service(session, actor, **base)
            session.rollback()


def test_ordinary_numbers_are_accepted() -> None:
    ordinary = [
        "Möte 2026-11-02 kl. 09:30, dnr VON 2026/123 och 2026-00123.",
        "Ring 070-123 45 67 eller 08-123 456 78, +46 70 123 45 67.",
        "Organisationsnummer 556782-3413 (Vega Omsorg AB), 16556782-3413.",
        "Schema 2026-11-02–2026-11-15, vecka 45, 20261102-20261115.",
        "Belopp 1 212 121 kr, 12,5 timmar, 3 av 12 pass.",
    ]
    for value in ordinary:
        assert not looks_like_personnummer(value), value
    assert registers.normalize_org_nr("556782-3413") == "556782-3413"
    with pytest.raises(ValueError, match="personnummer"):
        registers.normalize_org_nr("121212-1212")


def test_refusal_names_the_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        registers.save_contractor(
            None,  # type: ignore[arg-type]
            SYSTEM,
            registers.ContractorInput("AB", "559012-3450", contact_name="Anna 121212–1212"),
        )
    assert caught.value.for_field("contact_name")
    assert caught.value.message.startswith("Kontaktperson: texten innehåller ett personnummer")
