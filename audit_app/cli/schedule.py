"""CLI for the staffing review: `audit-app schedule analyse FILE --rules RULES.yaml`."""

from pathlib import Path

import typer

from audit_app.cli.common import echo_json
from audit_app.services.staffing.analysis import analyse, summary_text
from audit_app.services.staffing.columns import parse_mapping_args
from audit_app.services.staffing.errors import RulesError, ScheduleError
from audit_app.services.staffing.guarded import read_schedule
from audit_app.services.staffing.rules import load_rules

EXIT_BAD_INPUT = 2

schedule_app = typer.Typer(
    help="Bemanningsgranskning från entreprenörens schemaexport.",
    no_args_is_help=True,
    add_completion=False,
)


@schedule_app.callback()
def _schedule() -> None:
    """Bemanningsgranskning från entreprenörens schemaexport."""


def _fail(messages: list[str]) -> None:
    for message in messages:
        typer.echo(message, err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@schedule_app.command("analyse")
def analyse_command(
    file: Path = typer.Argument(..., help="Schemafil: .xlsx, .xls, .ods eller .csv."),
    rules: Path = typer.Option(..., "--rules", help="Bemanningsåtaganden som YAML."),
    as_json: bool = typer.Option(False, "--json", help="Skriv ut ett JSON-objekt."),
    mapping: list[str] = typer.Option(
        [],
        "--map",
        help="Ange kolumn själv: fält=Rubrik (fält: date, start, end, range, role, section, "
        "break, name). Tom rubrik tar bort fältet.",
    ),
) -> None:
    """Granska bemanning och kompetens i ett schema mot avtalets åtaganden."""
    try:
        staffing_rules = load_rules(rules)
        schedule = read_schedule(file, mapping=parse_mapping_args(mapping))
        result = analyse(schedule, staffing_rules)
    except (RulesError, ScheduleError) as exc:
        _fail(exc.messages)
        return
    if as_json:
        echo_json(result.to_json_dict())
    else:
        typer.echo(f"Schema: {schedule.filename}")
        typer.echo(summary_text(result))
