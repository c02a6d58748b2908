"""Reading indicators: a contract's indicators with their results, the latest result of each,
and those not reached (the overview's reasons and the documents' sentences come from here).

Indicator results are not drafts: every role that may read the contract register reads them.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from audit_app.auth import Actor, reads
from audit_app.domain.indicators import NOT_REACHED, Miss, concerns
from audit_app.models import (
    Contract,
    ContractUnit,
    Indicator,
    IndicatorResult,
    Unit,
    UnitKind,
)


@dataclass
class IndicatorCard:
    """An indicator with its results, oldest period first."""

    indicator: Indicator
    results: list[IndicatorResult] = field(default_factory=list)

    @property
    def latest(self) -> IndicatorResult | None:
        return self.results[-1] if self.results else None


def _indicators(
    session: Session, contract_ids: list[uuid.UUID] | None, include_archived: bool = False
) -> list[Indicator]:
    query = select(Indicator).order_by(col(Indicator.contract_id), col(Indicator.position))
    if contract_ids is not None:
        query = query.where(col(Indicator.contract_id).in_(contract_ids))
    if not include_archived:
        query = query.where(col(Indicator.archived).is_(False))
    return list(session.exec(query))


def _cards(session: Session, indicators: list[Indicator]) -> list[IndicatorCard]:
    cards = {i.id: IndicatorCard(i) for i in indicators}
    if cards:
        for result in session.exec(
            select(IndicatorResult)
            .where(col(IndicatorResult.indicator_id).in_(list(cards)))
            .order_by(col(IndicatorResult.period_end), col(IndicatorResult.created_at))
        ):
            cards[result.indicator_id].results.append(result)
    return list(cards.values())


@reads
def list_indicators(
    session: Session, actor: Actor, contract_id: uuid.UUID, include_archived: bool = False
) -> list[IndicatorCard]:
    """A contract's indicators in their order, each with its results."""
    return _cards(session, _indicators(session, [contract_id], include_archived))


@dataclass
class RegisterRow:
    """One indicator of the register (the CLI's list): its contract's dnr and its results."""

    dnr: str
    card: IndicatorCard


@reads
def indicator_register(session: Session, actor: Actor) -> list[RegisterRow]:
    """Every active indicator of every contract, by contract (dnr) and position."""
    dnrs = {c.id: c.dnr for c in session.exec(select(Contract))}
    cards = _cards(session, _indicators(session, None))
    rows = [RegisterRow(dnrs.get(c.indicator.contract_id, ""), c) for c in cards]
    return sorted(rows, key=lambda r: (r.dnr, r.card.indicator.position))


@dataclass(frozen=True)
class Latest:
    """An indicator and its latest result (None when it has none yet)."""

    indicator: Indicator
    result: IndicatorResult | None

    @property
    def miss(self) -> Miss | None:
        if self.result is None or self.result.status not in NOT_REACHED:
            return None
        return Miss(self.indicator.name, self.result.period, self.result.status)


def latest_per_indicator(
    session: Session, contract_ids: list[uuid.UUID], as_of: date | None = None
) -> dict[uuid.UUID, list[Latest]]:
    """Per contract: each active indicator with its latest result, the one with the latest
    period end (on or before `as_of` when given), in one query."""
    indicators = _indicators(session, contract_ids)
    out: dict[uuid.UUID, list[Latest]] = {c: [] for c in contract_ids}
    if not indicators:
        return out
    ranked_query = select(
        IndicatorResult.id,
        func.row_number()
        .over(
            partition_by=col(IndicatorResult.indicator_id),
            order_by=(
                col(IndicatorResult.period_end).desc(),
                col(IndicatorResult.updated_at).desc(),
            ),
        )
        .label("rn"),
    ).where(col(IndicatorResult.indicator_id).in_([i.id for i in indicators]))
    if as_of is not None:
        ranked_query = ranked_query.where(col(IndicatorResult.period_end) <= as_of)
    ranked = ranked_query.subquery()
    latest = {
        r.indicator_id: r
        for r in session.exec(
            select(IndicatorResult)
            .join(ranked, ranked.c.id == IndicatorResult.id)
            .where(ranked.c.rn == 1)
        )
    }
    for indicator in indicators:
        out[indicator.contract_id].append(Latest(indicator, latest.get(indicator.id)))
    return out


@reads
def not_reached(
    session: Session,
    actor: Actor,
    contract_ids: list[uuid.UUID] | None = None,
    as_of: date | None = None,
) -> list[Latest]:
    """The indicators whose latest result is ej uppnått or delvis uppnått."""
    if contract_ids is None:
        contract_ids = list(session.exec(select(Contract.id)))
    latest = latest_per_indicator(session, contract_ids, as_of)
    return [x for rows in latest.values() for x in rows if x.miss is not None]


@reads
def misses_per_unit(
    session: Session, actor: Actor, as_of: date | None = None
) -> dict[uuid.UUID, list[Miss]]:
    """The overview's view of `not_reached`: per unit, the misses of the contracts covering it
    that concern the unit's kind (archived contracts left out)."""
    contracts = list(session.exec(select(Contract.id).where(col(Contract.archived).is_(False))))
    misses = not_reached(session, actor, contracts, as_of)
    if not misses:
        return {}
    by_contract: dict[uuid.UUID, list[Latest]] = defaultdict(list)
    for x in misses:
        by_contract[x.indicator.contract_id].append(x)
    out: dict[uuid.UUID, list[Miss]] = defaultdict(list)
    for contract_id, unit_id, kind in session.exec(
        select(ContractUnit.contract_id, ContractUnit.unit_id, Unit.kind)
        .join(Unit, col(Unit.id) == ContractUnit.unit_id)
        .where(col(ContractUnit.contract_id).in_(list(by_contract)))
    ):
        for x in by_contract[contract_id]:
            if x.miss is not None and concerns(x.indicator.applies_to, {UnitKind(kind).value}):
                out[unit_id].append(x.miss)
    return dict(out)
