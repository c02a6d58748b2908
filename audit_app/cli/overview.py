"""`audit-app overview` and `audit-app plan propose|ics|meeting`: the förvaltningschef's
overview per unit, the year's proposals by the policy's cadence, a revisor's calendar file."""

from datetime import date
from pathlib import Path
from typing import Any

import typer

from audit_app.cli.common import AS_USER, actor_for, echo_rows, fail, save_file, unit_of_work
from audit_app.domain import labels
from audit_app.domain.svtext import sv_date
from audit_app.services import overview as overview_service

plan_app = typer.Typer(
    help="Planering enligt policyn: förslag, kalenderfil och utskottets sammanträden.",
    no_args_is_help=True,
    add_completion=False,
)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{what}: skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-10-12.")
        raise typer.Exit(1) from None


def _ref(ref: overview_service.FollowUpRef | None) -> dict[str, str] | None:
    return None if ref is None else {"kind": ref.kind.value, "date": ref.date.isoformat()}


def unit_json(row: overview_service.UnitRow) -> dict[str, Any]:
    """One unit of the overview as the CLI prints it."""
    return {
        "contractor": row.contractor,
        "unit": row.unit,
        "unit_kind": row.unit_kind.value,
        "last_followup": _ref(row.last_followup),
        "share_met": None if row.share_met is None else round(row.share_met, 4),
        "open_deviations": row.open_deviations,
        "overdue_actions": row.overdue_actions,
        "next_planned": _ref(row.next_planned),
        "status": row.status.value,
        "reasons": row.reasons,
    }


def overview(
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista, en per enhet."),
    on: str = typer.Option("", "--date", help="Dagen statusen gäller (ÅÅÅÅ-MM-DD), i dag om tom."),
    as_user: str = AS_USER,
) -> None:
    """Status per enhet: senaste och nästa uppföljning, avvikelser, försenade åtgärder."""
    today = _day(on, "--date") if on else date.today()
    with unit_of_work() as session:
        rows = overview_service.unit_overview(session, actor_for(session, as_user), today=today)
    echo_rows(rows, as_json, unit_json, _unit_line)


def _unit_line(r: overview_service.UnitRow) -> str:
    status = labels.STATUS_LEVEL_LABELS[r.status]
    reasons = "; ".join(r.reasons)
    return f"{status:<5} {r.contractor} – {r.unit}" + (f": {reasons}" if reasons else "")


@plan_app.command("propose")
def propose(
    year: int = typer.Option(..., "--year", help="Året att planera, t.ex. 2027."),
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista."),
    on: str = typer.Option("", "--date", help="Dagen förslagen räknas från (ÅÅÅÅ-MM-DD)."),
) -> None:
    """Årets uppföljningar som policyn kräver och som inte är planerade än."""
    today = _day(on, "--date") if on else date.today()
    with unit_of_work() as session:
        proposals = overview_service.propose_year(session, year, today=today)
    echo_rows(proposals, as_json, _proposal_json, _proposal_line)


def _proposal_json(p: overview_service.Proposal) -> dict[str, Any]:
    return {
        "contractor": p.contractor,
        "unit": p.unit,
        "kinds": [k.value for k in p.kinds],
        "title": p.title,
        "proposed": p.proposed.isoformat(),
        "due": p.due.isoformat(),
        "overdue": p.overdue,
        "basis": p.basis,
    }


def _proposal_line(p: overview_service.Proposal) -> str:
    late = " (försenad)" if p.overdue else ""
    return f"{p.proposed.isoformat()}  {p.title:<40}  {p.contractor} – {p.unit}{late}"


@plan_app.command("ics")
def ics(
    revisor: str = typer.Option(..., "--revisor", help="Revisorns användarnamn."),
    output: Path = typer.Option(..., "-o", "--output", help=".ics"),
    as_user: str = AS_USER,
) -> None:
    """Revisorns planerade uppföljningar som kalenderfil (en händelse per uppföljning)."""
    content = save_file(
        output,
        as_user,
        lambda session, actor: overview_service.revisor_calendar(session, actor, revisor),
        (".ics",),
    )
    events = content.count(b"BEGIN:VEVENT")
    typer.echo(f"{events} uppföljningar är sparade i {output}.")


@plan_app.command("meeting")
def meeting(
    day: str = typer.Argument(..., help="Sammanträdets datum, ÅÅÅÅ-MM-DD."),
    note: str = typer.Option("", "--note", help="Anteckning, t.ex. paragraf."),
    as_user: str = AS_USER,
) -> None:
    """Lägg in ett sammanträde i utskottet (biståndsärenden kontrolleras vid varje)."""
    when = _day(day, "Datum")
    with unit_of_work() as session:
        overview_service.add_committee_meeting(session, actor_for(session, as_user), when, note)
    typer.echo(f"Sammanträdet {sv_date(when)} är inlagt.")
