"""`audit-app indicators list`: every contract's indicators with their results per period."""

from typing import Any

import typer

from audit_app.cli.common import AS_USER, actor_for, echo_rows, unit_of_work
from audit_app.domain.indicators import STATUS_LABELS, target_text, value_text
from audit_app.models import IndicatorKind
from audit_app.services import indicators as indicators_service

indicators_app = typer.Typer(
    help="Indikatorer per avtal: uppföljningsplanens mått och deras resultat.",
    no_args_is_help=True,
    add_completion=False,
)


def indicator_json(row: indicators_service.RegisterRow) -> dict[str, Any]:
    """One indicator as the CLI prints it."""
    i = row.card.indicator
    numeric = i.kind is IndicatorKind.tal
    results: list[dict[str, Any]] = []
    for r in row.card.results:
        item: dict[str, Any] = {"period": r.period, "period_end": r.period_end.isoformat()}
        if numeric:
            item["value"] = r.value
            if r.text:
                item["comment"] = r.text
        else:
            item["text"] = r.text
        item["status"] = r.status.value
        results.append(item)
    return {
        "contract": row.dnr,
        "name": i.name,
        "risk": i.risk,
        "definition": i.definition,
        "method": i.method,
        "responsible": i.responsible,
        "occasion": i.occasion,
        "kind": i.kind.value,
        "unit": i.unit if numeric else None,
        "target": i.target if numeric else None,
        "direction": i.direction.value if numeric else None,
        "tolerance": i.tolerance if numeric else None,
        "results": results,
    }


@indicators_app.command("list")
def indicators_list(
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista, en per indikator."),
    as_user: str = AS_USER,
) -> None:
    """Lista avtalens indikatorer: risk, definition, mätmetod, ansvar, mättillfälle, mål och
    resultat per period."""
    with unit_of_work() as session:
        rows = indicators_service.indicator_register(session, actor_for(session, as_user))
    echo_rows(rows, as_json, indicator_json, _indicator_line)


def _indicator_line(r: indicators_service.RegisterRow) -> str:
    i = r.card.indicator
    latest = r.card.latest
    goal = target_text(i.target, i.unit, i.direction) or "bedömning i text"
    last = (
        f"{latest.period}: "
        + (value_text(latest.value, i.unit) + " – " if latest.value is not None else "")
        + STATUS_LABELS[latest.status].lower()
        if latest
        else "inget resultat"
    )
    return f"{r.dnr:<16} {i.name:<48} mål {goal:<22} {last}"
