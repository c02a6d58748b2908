"""CLI for follow-ups and their documents.

    audit-app followups list [--json] [--status justerad] [--kind avtal]
    audit-app minutes ID -o FILE.docx [--committee]      (FILE.pdf converts with LibreOffice)
    audit-app report quarter 2026 1 -o FILE.docx         (kvalitetsrådet)
    audit-app report year 2026 -o FILE.docx              (kvalitetsberättelse, bidrag)
    audit-app report actions -o FILE.xlsx                (åtgärdsregister)

ID is a follow-up id or a unique beginning of one (at least 6 characters). A justerad
follow-up gives its stored document (generated and kept the first time).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import typer
from sqlmodel import Session, col, select

from audit_app.db import get_engine
from audit_app.domain import labels
from audit_app.errors import UserError
from audit_app.models import Contractor, FollowUp, FollowUpKind, FollowUpStatus

EXIT_USER = 1

followups_app = typer.Typer(
    help="Uppföljningar: lista och dokument.", no_args_is_help=True, add_completion=False
)
report_app = typer.Typer(
    help="Sammanställningar: kvartal, år och åtgärdsregister.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str, code: int = EXIT_USER) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def find_followup(session: Session, ident: str) -> FollowUp:
    """A follow-up by id or by a unique beginning of its id."""
    text = ident.strip().lower()
    try:
        found = session.get(FollowUp, uuid.UUID(text))
    except ValueError:
        found = None
        if len(text.replace("-", "")) < 6:
            raise UserError("Ange minst de sex första tecknen i uppföljningens id.") from None
        matches = [
            f
            for f in session.exec(select(FollowUp).order_by(col(FollowUp.planned_date)))
            if str(f.id).startswith(text) or f.id.hex.startswith(text.replace("-", ""))
        ]
        if len(matches) > 1:
            raise UserError(
                f"{len(matches)} uppföljningar har ett id som börjar med {ident!r}; ange fler tecken."
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
) -> None:
    """Lista uppföljningar: id, typ, enhet, datum och status (äldst först)."""
    from audit_app.services import followups as fu

    with Session(get_engine()) as session:
        rows = fu.list_followups(
            session, fu.FollowUpFilter(kinds=kind, statuses=status, newest_first=False)
        )
        names = fu.unit_names(session, [f.id for f in rows])
        contractors = {c.id: c.name for c in session.exec(select(Contractor))}
    if as_json:
        out = [
            {
                "id": str(f.id),
                "kind": f.kind.value,
                "unit": ", ".join(names.get(f.id, [])),
                "date": f.planned_date.isoformat(),
                "status": f.status.value,
                "contractor": contractors.get(f.contractor_id, ""),
                "version": f.doc_version,
            }
            for f in rows
        ]
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    for f in rows:
        typer.echo(
            f"{str(f.id)[:8]}  {f.planned_date.isoformat()}  {labels.STATUS_LABELS[f.status]:<18}  "
            f"{labels.KIND_LABELS[f.kind]:<30}  {', '.join(names.get(f.id, []))}"
        )


def _write(output: Path, content: bytes, pdf: bool) -> None:
    from audit_app.services.documents.pdf import docx_to_pdf

    if pdf:
        content = docx_to_pdf(content)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)


def _check_suffix(output: Path, allowed: tuple[str, ...]) -> bool:
    suffix = output.suffix.lower()
    if suffix not in allowed:
        _fail(f"Filen {output.name} ska sluta på {' eller '.join(allowed)}.")
    return suffix == ".pdf"


def minutes(
    followup_id: str = typer.Argument(..., help="Uppföljningens id (eller början av det)."),
    output: Path = typer.Option(..., "-o", "--output", help="Fil att skriva: .docx eller .pdf."),
    committee: bool = typer.Option(
        False,
        "--committee",
        help="Tjänsteskrivelse till utskottet i stället för minnesanteckningar.",
    ),
) -> None:
    """Skriv minnesanteckningarna (eller tjänsteskrivelsen) för en uppföljning till en fil."""
    from audit_app.services.documents.stored import minutes_document

    pdf = _check_suffix(output, (".docx", ".pdf"))
    try:
        with Session(get_engine()) as session:
            followup = find_followup(session, followup_id)
            document = minutes_document(session, followup, committee=committee)
            session.commit()  # a justerad follow-up's document is stored the first time
        _write(output, document.content, pdf)
    except UserError as exc:
        _fail(exc.message)
    what = "Tjänsteskrivelsen är sparad" if committee else "Minnesanteckningarna är sparade"
    note = " (lagrat dokument, SHA-256 " + document.sha256[:12] + "…)" if document.stored else ""
    typer.echo(f"{what} i {output}{note}.")


@report_app.command("quarter")
def report_quarter(
    year: int = typer.Argument(..., help="År, t.ex. 2026."),
    quarter: int = typer.Argument(..., help="Kvartal 1–4."),
    output: Path = typer.Option(..., "-o", "--output", help=".docx eller .pdf"),
    dnr: str = typer.Option("", "--dnr", help="Diarienummer för tjänsteskrivelsen."),
) -> None:
    """Kvartalssammanställning av uppföljningar till kvalitetsrådet."""
    from audit_app.services.documents.period import quarter_bounds
    from audit_app.services.documents.reports import render_period_report

    pdf = _check_suffix(output, (".docx", ".pdf"))
    try:
        first, last = quarter_bounds(year, quarter)
        with Session(get_engine()) as session:
            content = render_period_report(session, first, last, dnr=dnr)
        _write(output, content, pdf)
    except UserError as exc:
        _fail(exc.message)
    typer.echo(f"Sammanställningen för kvartal {quarter} {year} är sparad i {output}.")


@report_app.command("year")
def report_year(
    year: int = typer.Argument(..., help="År, t.ex. 2026."),
    output: Path = typer.Option(..., "-o", "--output", help=".docx eller .pdf"),
) -> None:
    """Årets bidrag till kvalitetsberättelsen."""
    from audit_app.services.documents.reports import render_yearly_contribution

    pdf = _check_suffix(output, (".docx", ".pdf"))
    try:
        with Session(get_engine()) as session:
            content = render_yearly_contribution(session, year)
        _write(output, content, pdf)
    except UserError as exc:
        _fail(exc.message)
    typer.echo(f"Bidraget till kvalitetsberättelsen {year} är sparat i {output}.")


@report_app.command("actions")
def report_actions(
    output: Path = typer.Option(..., "-o", "--output", help=".xlsx"),
    only_open: bool = typer.Option(False, "--open", help="Bara åtgärder som inte är verifierade."),
) -> None:
    """Åtgärdsregistret som Excel-fil."""
    from audit_app.services.documents.exports import action_register_workbook

    _check_suffix(output, (".xlsx",))
    with Session(get_engine()) as session:
        content = action_register_workbook(session, only_open=only_open)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    typer.echo(f"Åtgärdsregistret är sparat i {output}.")


@followups_app.command("export")
def export_command(
    followup_id: str = typer.Argument(..., help="Uppföljningens id (eller början av det)."),
    output: Path = typer.Option(..., "-o", "--output", help=".xlsx"),
) -> None:
    """En uppföljning som Excel-fil (bedömningar, avvikelser, åtgärder)."""
    from audit_app.services.documents.exports import followup_workbook

    _check_suffix(output, (".xlsx",))
    try:
        with Session(get_engine()) as session:
            content = followup_workbook(session, find_followup(session, followup_id))
    except UserError as exc:
        _fail(exc.message)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    typer.echo(f"Uppföljningen är sparad i {output}.")
