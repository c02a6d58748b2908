"""`audit-app contracts list`: the contract register with each contract's own requirements."""

from typing import Any

import typer

from audit_app.cli.common import echo_rows, unit_of_work
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
    echo_rows(rows, as_json, _contract_json, _contract_line)


def _contract_json(r: registers.ContractSummary) -> dict[str, Any]:
    return {
        "id": str(r.contract.id),
        "dnr": r.contract.dnr,
        "contractor": r.contractor,
        "units": r.units,
        "requirements": [
            {"clause": q.clause, "text": q.text, "type": q.kind.value, "area": q.area}
            for q in r.requirements
        ],
    }


def _contract_line(r: registers.ContractSummary) -> str:
    return (
        f"{r.contract.dnr:<16} {r.contractor:<30} {', '.join(r.units):<30} "
        f"{len(r.requirements)} krav"
    )
