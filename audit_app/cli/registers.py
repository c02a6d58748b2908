"""`audit-app contracts list`: the contract register with each contract's own requirements."""

import json

import typer

from audit_app.cli.common import unit_of_work
from audit_app.services import registers

contracts_app = typer.Typer(help="Avtal: registret.", no_args_is_help=True, add_completion=False)


@contracts_app.command("list")
def contracts_list(
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista."),
    archived: bool = typer.Option(False, "--arkiverade", help="Ta med arkiverade avtal."),
) -> None:
    """Lista avtal: diarienummer, entreprenör, enheter och avtalets krav."""
    with unit_of_work() as session:
        rows = registers.contract_register(session, include_archived=archived)
    if as_json:
        out = [
            {
                "id": str(r.contract.id),
                "dnr": r.contract.dnr,
                "contractor": r.contractor,
                "units": r.units,
                "requirements": [
                    {"clause": q.clause, "text": q.text, "type": q.kind.value, "area": q.area}
                    for q in r.requirements
                ],
            }
            for r in rows
        ]
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(
            f"{r.contract.dnr:<16} {r.contractor:<30} {', '.join(r.units):<30} "
            f"{len(r.requirements)} krav"
        )
