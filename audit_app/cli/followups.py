"""`audit-app followups list|export` and `audit-app minutes`.

ID is a follow-up id or a unique beginning of one (at least 6 characters). A justerad
follow-up gives its stored document (generated and kept the first time). With `--as NAME`
the command sees what that account sees (a läsare: only justerade follow-ups).
"""

import uuid
from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session, col, select

from audit_app.cli.common import (
    AS_USER,
    actor_for,
    check_suffix,
    echo_json,
    fail,
    save_file,
    unit_of_work,
    write_output,
)
from audit_app.domain import labels
from audit_app.errors import UserError
from audit_app.models import Contract, Contractor, FollowUp, FollowUpKind, FollowUpStatus
from audit_app.services import followups
from audit_app.services.documents.exports import followup_workbook
from audit_app.services.documents.stored import minutes_document

followups_app = typer.Typer(
    help="Uppföljningar: lista och dokument.", no_args_is_help=True, add_completion=False
)


def find_followup(session: Session, ident: str) -> FollowUp:
    """A follow-up by id or by a unique beginning of its id."""
    text = ident.strip().lower()
    try:
        found = session.get(FollowUp, uuid.UUID(text))
    except ValueError:
        if len(text.replace("-", "")) < 6:
            raise UserError("Ange minst de sex första tecknen i uppföljningens id.") from None
        matches = [
            f
            for f in session.exec(
                select(FollowUp).order_by(
                    col(FollowUp.planned_date), col(FollowUp.created_at), col(FollowUp.id)
                )
            )
            if str(f.id).startswith(text) or f.id.hex.startswith(text.replace("-", ""))
        ]
        if len(matches) > 1:
            raise UserError(
                f"{len(matches)} uppföljningar har ett id som börjar med {ident!r}; ange fler "
                "tecken."
            ) from None
        found = matches[0] if matches else None
    if found is None:
        raise UserError(
            f"Det finns ingen uppföljning med id {ident!r}. Lista dem med "
            "`audit-app followups list`."
        )
    return found


@followups_app.command("list")
def list_command(
    as_json: bool = typer.Option(False, "--json", help="Skriv ut en JSON-lista."),
    status: list[FollowUpStatus] = typer.Option(
        [], "--status", help="planerad, pagar, klar eller justerad (kan upprepas)."
    ),
    kind: list[FollowUpKind] = typer.Option(
        [], "--kind", help="avtal, ledningssystem, kvalitetsrevision, riktad, ... (kan upprepas)."
    ),
    as_user: str = AS_USER,
) -> None:
    """Lista uppföljningar: id, typ, enhet, datum och status (äldst först)."""
    with unit_of_work() as session:
        actor = actor_for(session, as_user)
        rows = followups.list_followups(
            session,
            followups.FollowUpFilter(kinds=kind, statuses=status, newest_first=False),
            actor=actor,
        )
        names = followups.unit_names(session, [f.id for f in rows])
        contractors = {c.id: c.name for c in session.exec(select(Contractor))}
        owners = followups.contractor_names(session, [f.id for f in rows])
        dnrs = {c.id: c.dnr for c in session.exec(select(Contract))}
    if as_json:
        out: list[dict[str, Any]] = [
            {
                "id": str(f.id),
                "kind": f.kind.value,
                "unit": ", ".join(names.get(f.id, [])),
                "date": f.planned_date.isoformat(),
                "status": f.status.value,
                # the follow-up's own contractor: null for a riktad uppföljning across
                # contractors and for the committee's kontroll av biståndsärenden
                "contractor": contractors.get(f.contractor_id) if f.contractor_id else None,
                "contractors": list(owners.get(f.id, [])),
                "units": names.get(f.id, []),
                "contract": dnrs.get(f.contract_id) if f.contract_id else None,
                "previous": str(f.previous_id) if f.previous_id else None,
                "version": f.doc_version,
            }
            for f in rows
        ]
        # Meetings of one day by contractor, unit and kind: the same list on every database
        # and after a restore (the database's own order of equal dates is not defined).
        out.sort(
            key=lambda r: (r["date"], ", ".join(r["contractors"]), r["unit"], r["kind"], r["id"])
        )
        echo_json(out)
        return
    for f in rows:
        typer.echo(
            f"{str(f.id)[:8]}  {f.planned_date.isoformat()}  "
            f"{labels.STATUS_LABELS[f.status]:<18}  {labels.KIND_LABELS[f.kind]:<30}  "
            f"{', '.join(names.get(f.id, []))}"
        )


def minutes(
    followup_id: str = typer.Argument(..., help="Uppföljningens id (eller början av det)."),
    output: Path = typer.Option(..., "-o", "--output", help="Fil att skriva: .docx eller .pdf."),
    committee: bool = typer.Option(
        False,
        "--committee",
        help="Tjänsteskrivelse till utskottet i stället för minnesanteckningar.",
    ),
    as_user: str = AS_USER,
) -> None:
    """Skriv minnesanteckningarna (eller tjänsteskrivelsen) för en uppföljning till en fil."""
    pdf = check_suffix(output, (".docx", ".pdf"))
    with unit_of_work() as session:  # a justerad follow-up's document is stored the first time
        actor = actor_for(session, as_user)
        document = minutes_document(
            session, actor, find_followup(session, followup_id).id, committee=committee
        )
    try:
        write_output(output, document.content, pdf)
    except UserError as exc:
        fail(exc.message)
    what = "Tjänsteskrivelsen är sparad" if committee else "Minnesanteckningarna är sparade"
    note = " (lagrat dokument, SHA-256 " + document.sha256[:12] + "…)" if document.stored else ""
    typer.echo(f"{what} i {output}{note}.")


@followups_app.command("export")
def export_command(
    followup_id: str = typer.Argument(..., help="Uppföljningens id (eller början av det)."),
    output: Path = typer.Option(..., "-o", "--output", help=".xlsx"),
    as_user: str = AS_USER,
) -> None:
    """En uppföljning som Excel-fil (bedömningar, avvikelser, åtgärder)."""
    save_file(
        output,
        as_user,
        lambda session, actor: followup_workbook(
            session, actor, find_followup(session, followup_id).id
        ),
        (".xlsx",),
    )
    typer.echo(f"Uppföljningen är sparad i {output}.")
