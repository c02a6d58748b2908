"""Command line: `audit-app`, one module per command group, calling the same services as the
pages (with the same role checks; `--as NAME` acts as that account)."""

import sys

import typer

from audit_app.cli import swedish
from audit_app.cli.backup import backup, restore
from audit_app.cli.checklists import checklist_app
from audit_app.cli.followups import followups_app, minutes
from audit_app.cli.indicators import indicators_app
from audit_app.cli.overview import overview, plan_app
from audit_app.cli.registers import contracts_app
from audit_app.cli.reports import report_app
from audit_app.cli.schedule import schedule_app
from audit_app.cli.setup import demo, init, serve
from audit_app.cli.signals import sanctions_app, signals_app
from audit_app.cli.users import users_app
from audit_app.errors import UserError

app = typer.Typer(
    help="Revisionsstöd: uppföljning av avtal och kvalitet hos utförare.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("init")(init)
app.command("demo")(demo)
app.command("serve")(serve)
app.add_typer(users_app, name="users")
app.add_typer(contracts_app, name="contracts")
app.add_typer(checklist_app, name="checklist")
app.add_typer(schedule_app, name="schedule")
app.add_typer(followups_app, name="followups")
app.command("minutes")(minutes)
app.add_typer(report_app, name="report")
app.command("backup")(backup)
app.command("restore")(restore)
app.command("overview")(overview)
app.add_typer(plan_app, name="plan")
app.add_typer(signals_app, name="signals")
app.add_typer(sanctions_app, name="sanctions")
app.add_typer(indicators_app, name="indicators")


def main() -> None:
    swedish.install()
    try:
        app()
    except UserError as exc:  # pragma: no cover - last resort for a clean message
        typer.echo(exc.message, err=True)
        sys.exit(1)
