"""`audit-app signals list` and `audit-app sanctions list`: the signals about the contractors
(counts and categories) and the sanctions decided on the contracts, with the ladder's proposals."""

from datetime import date
from typing import Any

import typer

from audit_app.cli.common import AS_USER, actor_for, echo_json, echo_rows, fail, unit_of_work
from audit_app.domain import labels
from audit_app.domain.svtext import sv_date
from audit_app.models import SignalKind
from audit_app.services import sanctions, signals

signals_app = typer.Typer(
    help="Signaler om utförarna: lex Sarah, lex Maria, klagomål, synpunkter, IVO-beslut och "
    "rapporter som inte lämnats in (antal och kategorier).",
    no_args_is_help=True,
    add_completion=False,
)
sanctions_app = typer.Typer(
    help="Sanktioner på avtalen: påpekande, vite, prisavdrag, hävning eller återkallat "
    "godkännande, och trappans förslag.",
    no_args_is_help=True,
    add_completion=False,
)


def _day(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{what}: skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-10-12.")
        raise typer.Exit(1) from None


def signal_json(row: signals.SignalRow) -> dict[str, Any]:
    s = row.signal
    return {
        "date": s.occurred_on.isoformat(),
        "contractor": row.contractor,
        "unit": row.unit or None,
        "kind": s.kind.value,
        "kind_label": row.kind,
        "category": s.category,
        "category_label": row.category,
        "count": s.count,
        "status": s.status.value,
        "note": s.note,
    }


@signals_app.command("list")
def signals_list(
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista, en per signal."),
    kind: list[SignalKind] = typer.Option(
        [],
        "--kind",
        help="Bara detta slag (kan upprepas): " + ", ".join(k.value for k in SignalKind),
    ),
    date_from: str = typer.Option("", "--from", help="Från och med datum (ÅÅÅÅ-MM-DD)."),
    date_to: str = typer.Option("", "--to", help="Till och med datum (ÅÅÅÅ-MM-DD)."),
    as_user: str = AS_USER,
) -> None:
    """Registrerade signaler, nyast först."""
    flt = signals.SignalFilter(
        kinds=list(kind), date_from=_day(date_from, "--from"), date_to=_day(date_to, "--to")
    )
    with unit_of_work() as session:
        rows = signals.list_signals(session, actor_for(session, as_user), flt)
    echo_rows(rows, as_json, signal_json, _signal_line)


def _signal_line(r: signals.SignalRow) -> str:
    where = f"{r.contractor} – {r.unit}" if r.unit else r.contractor
    return (
        f"{r.signal.occurred_on}  {r.kind:<20} {r.signal.count:>3}  {r.category} · {where} "
        f"({r.status.lower()})"
    )


def sanction_json(row: sanctions.SanctionRow) -> dict[str, Any]:
    s = row.sanction
    return {
        "contract": row.contract_dnr,
        "contractor": row.contractor,
        "unit": row.unit or None,
        "kind": s.kind.value,
        "kind_label": row.kind,
        "amount_kr": s.amount_kr,
        "decided_on": s.decided_on.isoformat(),
        "decided_by": s.decided_by,
        "clause": row.clause_no,
        "clause_text": row.clause,
        "basis": row.basis,
        "rechecks": row.rechecks,
        "note": s.note,
    }


def proposal_json(p: sanctions.ProposalRow) -> dict[str, Any]:
    return {
        "contract": p.contract_dnr,
        "units": p.units,
        "finding": f"{p.finding.clause} {p.finding.title}".strip(),
        "recheck": p.recheck.planned_date.isoformat(),
        "proposed": [k.value for k in p.kinds],
        "reason": p.reason,
    }


@sanctions_app.command("list")
def sanctions_list(
    as_json: bool = typer.Option(
        False, "--json", help="Skriv ut JSON: beslutade sanktioner och förslag."
    ),
    as_user: str = AS_USER,
) -> None:
    """Beslutade sanktioner (nyast först) och sanktioner som trappan föreslår."""
    with unit_of_work() as session:
        me = actor_for(session, as_user)
        rows = sanctions.list_sanctions(session, me)
        proposals = sanctions.sanction_proposals(session, me)
    if as_json:
        echo_json(
            {
                "sanctions": [sanction_json(r) for r in rows],
                "proposals": [proposal_json(p) for p in proposals],
            }
        )
        return
    for r in rows:
        unit = f", {r.unit}" if r.unit else ""
        typer.echo(f"{r.contract_dnr}{unit}: {r.headline} (punkt {r.clause_no or '–'})")
    for p in proposals:
        kinds = " eller ".join(labels.SANCTION_LABELS[k].lower() for k in p.kinds)
        typer.echo(
            f"{p.contract_dnr}, {p.units}: föreslås {kinds} – återuppföljning "
            f"{sv_date(p.recheck.planned_date)}"
        )
    if not rows and not proposals:
        typer.echo("Inga sanktioner är beslutade eller föreslagna.")
