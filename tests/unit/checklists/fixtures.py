"""Shared test data of the checklist tests: the shipped files, one small checklist, and the
broken workbooks the Excel import and the command line must refuse."""

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from audit_app.services import checklists
from audit_app.services.untrusted.sniff import ENCRYPTED_MARK, OLE_MAGIC

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "checklists"

# file stem: (sections, items, SKA-krav, kind)
EXPECTED = {
    "avtalsuppfoljning": (4, 21, 0, "avtal"),  # no SKA-krav: point 3 is the contract's
    "ska_krav_sarskilt_boende": (8, 40, 38, "avtal"),
    "ska_krav_hemtjanst": (8, 38, 37, "avtal"),
    "ska_krav_lss_bostad": (8, 37, 36, "avtal"),
    "ledningssystem": (5, 16, 0, "ledningssystem"),
    "kvalitetsrevision": (9, 24, 0, "kvalitetsrevision"),
    "bistandsarenden": (3, 27, 0, "bistandsarenden"),
    "riktad_uppfoljning": (4, 12, 0, "riktad"),
    "kvalitetsberattelse": (9, 25, 0, "ledningssystem"),
}

SMALL = """
key: liten
name: Liten checklista
kind: avtal
description: Test.
sections:
  - key: a
    title: Avsnitt A
    items:
      - key: a1
        text: Finns en rutin för avvikelser?
        kind: ska_krav
        clause: "4.1"
      - key: a2
        text: Andel undersköterskor
        answer: tal
        unit: procent
      - key: a3
        text: Nattbemanning enligt avtal
        applies_to: [sarskilt_boende]
  - key: krav
    title: 3. SKA-krav i avtalet
    role: requirements
    items:
      - key: k1
        text: Finns genomförandeplaner för stickproven?
        guidance: Stickprov på fem genomförandeplaner.
        clause: "4.3.1"
        evidence_required: true
      - key: k2
        text: Egen fråga om avvikelser
"""


def small() -> checklists.Checklist:
    """The small checklist of `SMALL`, validated."""
    return checklists.load_yaml(SMALL)


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """Open an exported workbook, change it as a person would in Excel, save it again."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _wrong_kind(wb: Workbook) -> None:
    wb["Frågor"]["E2"] = "skakrav"


def _empty_text(wb: Workbook) -> None:
    wb["Frågor"]["C3"] = None


def _duplicate_key(wb: Workbook) -> None:
    wb["Frågor"]["B4"] = "a1"


def _missing_sheet(wb: Workbook) -> None:
    del wb["Avsnitt"]


def _unknown_column(wb: Workbook) -> None:
    wb["Frågor"]["L1"] = "Kommentar"
    wb["Frågor"]["L2"] = "Fråga chefen"


WRONG_KIND = (
    'Blad "Frågor", rad 2, kolumn "Typ": "skakrav" är ingen giltig typ. Välj ska_krav, bor_krav '
    "eller fraga."
)
EMPTY_TEXT = 'Blad "Frågor", rad 3, kolumn "Text": Texten är tom. Skriv frågan eller kravet.'
DUPLICATE = (
    'Blad "Frågor", rad 4, kolumn "Id": Id "a1" används redan av en annan fråga. Varje fråga '
    "måste ha ett eget id (första gången på rad 2)."
)
MISSING_SHEET = (
    "Blad \"Avsnitt\" saknas i filen 'checklista.xlsx'. Exportera checklistan på nytt och gör "
    "ändringarna i den filen."
)
UNKNOWN_COLUMN = (
    'Blad "Frågor", rad 1, kolumn "Kommentar": okänd kolumn. Ta bort kolumnen eller använd en av '
    "rubrikerna: Avsnitt, Id, Text, Vägledning, Typ, Svarstyp, Enhet, Avtalspunkt, Underlag "
    "krävs, Gäller för, Område, Besvaras ur schemat."
)
NOT_EXCEL = "Filen checklista.xlsx är en textfil, inte en Excel-fil (.xlsx)"
PROTECTED = "Filen checklista.xlsx är lösenordsskyddad."


WRONG_ROLE = (
    'Blad "Avsnitt", rad 2, kolumn "Roll i dagordningen": "punkt3" är ingen giltig roll. Lämna '
    "tomt eller välj previous (föregående uppföljning), staffing (bemanning), requirements "
    "(avtalets krav), findings (iakttagelser) eller action_plan (åtgärdsplan)."
)
SECOND_ROLE = (
    'Blad "Avsnitt", rad 3, kolumn "Roll i dagordningen": Rollen requirements (avtalets krav) har '
    "redan ett annat avsnitt. Varje roll får bara ett avsnitt (första gången på rad 2)."
)


def _role(value: str) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb["Avsnitt"]["D2"] = value

    return change


def _encrypted_file() -> bytes:
    """An OLE compound file holding an EncryptedPackage stream, as Excel writes with a password."""
    return OLE_MAGIC + b"\x00" * 504 + ENCRYPTED_MARK + b"\x00" * 2048


BROKEN: dict[str, tuple[Callable[[bytes], bytes], list[str]]] = {
    "fel typ": (lambda d: edited(d, _wrong_kind), [WRONG_KIND]),
    "tom text": (lambda d: edited(d, _empty_text), [EMPTY_TEXT]),
    "dubblett": (lambda d: edited(d, _duplicate_key), [DUPLICATE]),
    "blad saknas": (lambda d: edited(d, _missing_sheet), [MISSING_SHEET]),
    "okänd kolumn": (lambda d: edited(d, _unknown_column), [UNKNOWN_COLUMN]),
    "inte excel": (lambda d: b"Det h\xe4r \xe4r ett Word-dokument.", [NOT_EXCEL]),
    "lösenord": (lambda d: _encrypted_file(), [PROTECTED]),
    "fel roll": (lambda d: edited(d, _role("punkt3")), [WRONG_ROLE]),
    "roll två gånger": (lambda d: edited(d, _role("Avtalets krav")), [SECOND_ROLE]),
    "allt på en gång": (
        lambda d: edited(
            d,
            lambda wb: [f(wb) for f in (_wrong_kind, _empty_text, _duplicate_key, _unknown_column)],
        ),
        [UNKNOWN_COLUMN, WRONG_KIND, EMPTY_TEXT, DUPLICATE],
    ),
}
