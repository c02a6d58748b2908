"""`audit-app report quarter|year|actions`: the period reports and the action register."""

from pathlib import Path

import typer

from audit_app.cli.common import AS_USER, actor_for, unit_of_work
from audit_app.cli.followups import check_suffix, write_output
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
    pdf = check_suffix(output, (".docx", ".pdf"))
    with unit_of_work() as session:
        first, last = quarter_bounds(year, quarter)
        actor = actor_for(session, as_user)
        content = render_period_report(session, actor, first, last, dnr=dnr)
    write_output(output, content, pdf)
    typer.echo(f"Sammanställningen för kvartal {quarter} {year} är sparad i {output}.")


@report_app.command("year")
def report_year(
    year: int = typer.Argument(..., help="År, t.ex. 2026."),
    output: Path = typer.Option(..., "-o", "--output", help=".docx eller .pdf"),
    as_user: str = AS_USER,
) -> None:
    """Årets bidrag till kvalitetsberättelsen."""
    pdf = check_suffix(output, (".docx", ".pdf"))
    with unit_of_work() as session:
        content = render_yearly_contribution(session, actor_for(session, as_user), year)
    write_output(output, content, pdf)
    typer.echo(f"Bidraget till kvalitetsberättelsen {year} är sparat i {output}.")


@report_app.command("actions")
def report_actions(
    output: Path = typer.Option(..., "-o", "--output", help=".xlsx"),
    only_open: bool = typer.Option(False, "--open", help="Bara åtgärder som inte är verifierade."),
    as_user: str = AS_USER,
) -> None:
    """Åtgärdsregistret som Excel-fil."""
    check_suffix(output, (".xlsx",))
    with unit_of_work() as session:
        content = action_register_workbook(
            session, actor_for(session, as_user), register_filter(None, only_open)
        )
    write_output(output, content)
    typer.echo(f"Åtgärdsregistret är sparat i {output}.")
