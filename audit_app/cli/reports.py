"""`audit-app report quarter|year|actions`: the period reports and the action register."""

from pathlib import Path

import typer

from audit_app.cli.common import AS_USER, save_file
from audit_app.services.documents.exports import action_register_workbook
from audit_app.services.documents.period import quarter_bounds
from audit_app.services.documents.reports import render_period_report, render_yearly_contribution
from audit_app.services.overview.register import register_filter

report_app = typer.Typer(
    help="Sammanställningar: kvartal, år och åtgärdsregister.",
    no_args_is_help=True,
    add_completion=False,
)


@report_app.command("quarter")
def report_quarter(
    year: int = typer.Argument(..., help="År, t.ex. 2026."),
    quarter: int = typer.Argument(..., help="Kvartal 1–4."),
    output: Path = typer.Option(..., "-o", "--output", help=".docx eller .pdf"),
    dnr: str = typer.Option("", "--dnr", help="Diarienummer för rapporten."),
    as_user: str = AS_USER,
) -> None:
    """Kvartalssammanställning av uppföljningar till kvalitetsrådet."""
    first, last = quarter_bounds(year, quarter)
    save_file(
        output,
        as_user,
        lambda session, actor: render_period_report(session, actor, first, last, dnr=dnr),
    )
    typer.echo(f"Sammanställningen för kvartal {quarter} {year} är sparad i {output}.")


@report_app.command("year")
def report_year(
    year: int = typer.Argument(..., help="År, t.ex. 2026."),
    output: Path = typer.Option(..., "-o", "--output", help=".docx eller .pdf"),
    as_user: str = AS_USER,
) -> None:
    """Årets bidrag till kvalitetsberättelsen."""
    save_file(
        output, as_user, lambda session, actor: render_yearly_contribution(session, actor, year)
    )
    typer.echo(f"Bidraget till kvalitetsberättelsen {year} är sparat i {output}.")


@report_app.command("actions")
def report_actions(
    output: Path = typer.Option(..., "-o", "--output", help=".xlsx"),
    only_open: bool = typer.Option(False, "--open", help="Bara åtgärder som inte är verifierade."),
    as_user: str = AS_USER,
) -> None:
    """Åtgärdsregistret som Excel-fil."""
    save_file(
        output,
        as_user,
        lambda session, actor: action_register_workbook(
            session, actor, register_filter(None, only_open)
        ),
        (".xlsx",),
    )
    typer.echo(f"Åtgärdsregistret är sparat i {output}.")
