"""Checklists in Excel: an editable workbook out, the edited workbook back in.

Every error of an import names the sheet, the row and the column, the way a person finds the
cell in Excel, and all of them are reported at once.
"""

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import AnswerType, FollowUpKind, ItemKind, SectionRole
from audit_app.services.checklists.format import Checklist, Loc, choices, role_choices
from audit_app.services.checklists.validation import check
from audit_app.services.checklists.yaml_io import load_yaml
from audit_app.services.sheets import cell_error, cell_text, read_workbook
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.guard import run_guarded
from audit_app.services.untrusted.sniff import WORKBOOKS
from audit_app.services.untrusted.yamlsafe import check_yaml

SHEET_ITEMS = "Frågor"
SHEET_SECTIONS = "Avsnitt"
SHEET_ABOUT = "Om checklistan"
SHEET_HELP = "Anvisningar"

# field, header, width, required
ITEM_COLUMNS: list[tuple[str, str, int, bool]] = [
    ("section", "Avsnitt", 16, True),
    ("key", "Id", 18, True),
    ("text", "Text", 60, True),
    ("guidance", "Vägledning", 60, False),
    ("kind", "Typ", 11, True),
    ("answer", "Svarstyp", 12, True),
    ("unit", "Enhet", 10, False),
    ("clause", "Avtalspunkt", 12, False),
    ("evidence_required", "Underlag krävs", 15, False),
    ("applies_to", "Gäller för", 26, False),
    ("area", "Område", 24, False),
    ("measure", "Besvaras ur schemat", 20, False),
]
SECTION_COLUMNS: list[tuple[str, str, int, bool]] = [
    ("key", "Id", 16, True),
    ("title", "Rubrik", 50, True),
    ("description", "Beskrivning", 70, False),
    ("role", "Roll i dagordningen", 24, False),
]
ABOUT_ROWS: list[tuple[str, str]] = [
    ("key", "Id"),
    ("name", "Namn"),
    ("version", "Version"),
    ("kind", "Uppföljningstyp"),
    ("applies_to", "Gäller för"),
    ("description", "Beskrivning"),
]
ABOUT_HEADERS = ("Uppgift", "Värde")
_ITEM_HEADER = {f: h for f, h, _, _ in ITEM_COLUMNS}
_SECTION_HEADER = {f: h for f, h, _, _ in SECTION_COLUMNS}
_ABOUT_LABEL = dict(ABOUT_ROWS)
_ROWS_WITH_VALIDATION = 500

_HELP_TEXT = [
    "Så redigerar du checklistan i Excel",
    "",
    "1. Bladet Frågor har en rad per fråga eller krav. Ändra texter, lägg till rader eller ta "
    "bort rader.",
    "2. Id ska vara unikt och stabilt: ändra inte id på en befintlig fråga, då räknas den som "
    "borttagen och en ny läggs till. Använd små bokstäver a–z, siffror, - och _.",
    "3. Avsnitt anger id för ett avsnitt på bladet Avsnitt. Nya avsnitt läggs till där; "
    "ordningen på bladen är ordningen i checklistan.",
    "4. Typ: ska_krav (avtalets SKA-krav), bor_krav (BÖR-krav) eller fraga.",
    "5. Svarstyp: bedomning (uppfyllt / delvis uppfyllt / ej uppfyllt / ej aktuellt), ja_nej, "
    "tal (ange då Enhet, t.ex. procent), text eller datum.",
    "6. Underlag krävs: ja eller nej. Gäller för: tomt för alla, annars t.ex. "
    "sarskilt_boende, hemtjanst, lss_bostad, daglig_verksamhet (kommaseparerat).",
    "7. Roll i dagordningen (bladet Avsnitt): tomt för vanliga avsnitt, annars "
    + role_choices()
    + ". Varje roll får bara ett avsnitt; avtalets egna krav läggs in i avsnittet med rollen "
    "requirements.",
    "8. Skriv aldrig personnummer i checklistan.",
    "9. Spara filen som .xlsx och ladda upp den på sidan Checklistor. Du ser skillnaderna och "
    "eventuella fel innan något sparas; varje uppladdning blir en ny version.",
]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _letter(columns: Sequence[tuple[str, str, int, bool]], field_name: str) -> str:
    """The Excel column letter of a field (A for the first column)."""
    return get_column_letter([c[0] for c in columns].index(field_name) + 1)


def _set(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a cell; text is always stored as text (never as a formula)."""
    if value == "" or value is None:
        return
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.alignment = _WRAP


def _header(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    for index, (title, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _dropdown(ws: Worksheet, formula: str, cells: str, message: str) -> None:
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Ogiltigt värde",
        error=message,
        promptTitle="Välj i listan",
        prompt=message,
    )
    ws.add_data_validation(dv)
    dv.add(cells)


def to_excel(checklist: Checklist) -> bytes:
    """Export the checklist as an .xlsx workbook people can edit and import again."""
    wb = Workbook()
    items_ws = wb.active
    assert items_ws is not None
    items_ws.title = SHEET_ITEMS
    _header(items_ws, [(h, w) for _, h, w, _ in ITEM_COLUMNS])
    row = 2
    for section, item in checklist.items():
        values = {
            "section": section.key,
            "key": item.key,
            "text": item.text,
            "guidance": item.guidance,
            "kind": item.kind.value,
            "answer": item.answer.value,
            "unit": item.unit,
            "clause": item.clause,
            "evidence_required": "ja" if item.evidence_required else "nej",
            "applies_to": ", ".join(k.value for k in item.applies_to),
            "area": item.area,
            "measure": item.measure.value if item.measure else "",
        }
        for column, (name, _, _, _) in enumerate(ITEM_COLUMNS, start=1):
            _set(items_ws, row, column, values[name])
        row += 1
    items_ws.auto_filter.ref = f"A1:{_letter(ITEM_COLUMNS, 'area')}{max(row - 1, 1)}"
    last = _ROWS_WITH_VALIDATION + max(row, 2)
    for name, enum in (("kind", ItemKind), ("answer", AnswerType)):
        letter = _letter(ITEM_COLUMNS, name)
        values_csv = ",".join(str(m.value) for m in enum)
        _dropdown(
            items_ws, f'"{values_csv}"', f"{letter}2:{letter}{last}", f"Välj {choices(enum)}."
        )
    letter = _letter(ITEM_COLUMNS, "evidence_required")
    _dropdown(items_ws, '"ja,nej"', f"{letter}2:{letter}{last}", "Välj ja eller nej.")
    letter = _letter(ITEM_COLUMNS, "section")
    _dropdown(
        items_ws,
        f"={SHEET_SECTIONS}!$A$2:$A${len(checklist.sections) + 100}",
        f"{letter}2:{letter}{last}",
        "Välj ett avsnitts id från bladet Avsnitt.",
    )

    sections_ws = wb.create_sheet(SHEET_SECTIONS)
    _header(sections_ws, [(h, w) for _, h, w, _ in SECTION_COLUMNS])
    for r, section in enumerate(checklist.sections, start=2):
        _set(sections_ws, r, 1, section.key)
        _set(sections_ws, r, 2, section.title)
        _set(sections_ws, r, 3, section.description)
        _set(sections_ws, r, 4, section.role.value if section.role else "")
    letter = _letter(SECTION_COLUMNS, "role")
    roles_csv = ",".join(r.value for r in SectionRole)
    _dropdown(
        sections_ws,
        f'"{roles_csv}"',
        f"{letter}2:{letter}200",
        f"Lämna tomt, eller välj {role_choices()}.",
    )

    about_ws = wb.create_sheet(SHEET_ABOUT)
    _header(about_ws, [(ABOUT_HEADERS[0], 18), (ABOUT_HEADERS[1], 90)])
    about = {
        "key": checklist.key,
        "name": checklist.name,
        "version": checklist.version,
        "kind": checklist.kind.value,
        "applies_to": ", ".join(k.value for k in checklist.applies_to),
        "description": checklist.description,
    }
    for r, (name, label) in enumerate(ABOUT_ROWS, start=2):
        _set(about_ws, r, 1, label)
        _set(about_ws, r, 2, about[name])
    kinds_csv = ",".join(k.value for k in FollowUpKind)
    kind_row = [n for n, _ in ABOUT_ROWS].index("kind") + 2
    _dropdown(about_ws, f'"{kinds_csv}"', f"B{kind_row}", f"Välj {choices(FollowUpKind)}.")

    help_ws = wb.create_sheet(SHEET_HELP)
    help_ws.column_dimensions["A"].width = 110
    for r, line in enumerate(_HELP_TEXT, start=1):
        _set(help_ws, r, 1, line)
    help_ws["A1"].font = Font(bold=True, size=13)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bool_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in ("", "nej", "n", "false", "falskt", "0"):
        return False
    if text in ("ja", "j", "x", "true", "sant", "1"):
        return True
    return text


def _int_cell(value: Any) -> Any:
    text = cell_text(value)
    return int(text) if text.isdigit() else text


def _read_table(
    sheet_name: str,
    rows: list[list[Any]],
    columns: list[tuple[str, str, int, bool]],
    errors: list[FieldError],
) -> list[tuple[int, dict[str, Any]]]:
    """Read a sheet with a header row into (Excel row, {field: cell}) pairs."""
    header_index = next((i for i, r in enumerate(rows[:10]) if any(cell_text(v) for v in r)), None)
    if header_index is None:
        names = ", ".join(f'"{h}"' for _, h, _, req in columns if req)
        errors.append(
            FieldError(
                sheet_name, f'Blad "{sheet_name}": bladet är tomt. Rubrikraden ({names}) saknas.'
            )
        )
        return []
    by_header = {h.lower(): f for f, h, _, _ in columns}
    position: dict[str, int] = {}
    for index, value in enumerate(rows[header_index]):
        title = cell_text(value)
        if not title:
            continue
        name = by_header.get(title.lower())
        if name is None:
            allowed = ", ".join(h for _, h, _, _ in columns)
            errors.append(
                cell_error(
                    sheet_name,
                    header_index + 1,
                    title,
                    f"okänd kolumn. Ta bort kolumnen eller använd en av rubrikerna: {allowed}.",
                )
            )
        elif name in position:
            errors.append(
                cell_error(sheet_name, header_index + 1, title, "kolumnen finns två gånger.")
            )
        else:
            position[name] = index
    for name, title, _, required in columns:
        if required and name not in position:
            errors.append(
                FieldError(
                    f"{sheet_name}!{header_index + 1}!{title}",
                    f'Blad "{sheet_name}", rad {header_index + 1}: kolumnen "{title}" saknas. '
                    "Lägg tillbaka den (exportera checklistan på nytt om du är osäker).",
                )
            )
    table = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        cells = {n: (row[p] if p < len(row) else None) for n, p in position.items()}
        if all(cell_text(v) == "" for v in cells.values()):
            continue
        table.append((index + 1, cells))
    return table


_SHEET_ORDER = [SHEET_ITEMS, SHEET_SECTIONS, SHEET_ABOUT]
_COLUMN_ORDER = [h for _, h, _, _ in ITEM_COLUMNS + SECTION_COLUMNS] + list(ABOUT_HEADERS)


def _reading_order(error: FieldError) -> tuple[int, int, int]:
    """Sort errors as a person reads the workbook: sheet, row, column."""
    sheet, _, rest = error.field.partition("!")
    row, _, column = rest.partition("!")
    sheet_no = _SHEET_ORDER.index(sheet) if sheet in _SHEET_ORDER else len(_SHEET_ORDER)
    column_no = _COLUMN_ORDER.index(column) if column in _COLUMN_ORDER else len(_COLUMN_ORDER)
    return sheet_no, int(row) if row.isdigit() else 0, column_no


def _find_sheet(sheets: dict[str, Any], name: str) -> Any:
    if name in sheets:
        return sheets[name]
    for actual, sheet in sheets.items():
        if actual.strip().lower() == name.lower():
            return sheet
    return None


def read_excel(data: bytes, filename: str) -> Checklist:
    """Import a checklist from an exported (and edited) workbook; report every error at once."""
    sheets = read_workbook(data, filename)
    errors: list[FieldError] = []
    found = {n: _find_sheet(sheets, n) for n in (SHEET_ITEMS, SHEET_SECTIONS, SHEET_ABOUT)}
    for name, sheet in found.items():
        if sheet is None:
            errors.append(
                FieldError(
                    name,
                    f'Blad "{name}" saknas i filen {filename!r}. Exportera checklistan på nytt '
                    "och gör ändringarna i den filen.",
                )
            )
    if errors:
        raise ValidationFailed(errors)

    # Om checklistan: label/value rows.
    raw: dict[str, Any] = {}
    about_row: dict[str, int] = {}
    by_label = {label.lower(): name for name, label in ABOUT_ROWS}
    about_rows = found[SHEET_ABOUT].rows
    for index, row in enumerate(about_rows):
        label = cell_text(row[0]) if row else ""
        if not label or label.lower() == ABOUT_HEADERS[0].lower():
            continue
        field_name = by_label.get(label.lower())
        if field_name is None:
            allowed = ", ".join(label for _, label in ABOUT_ROWS)
            errors.append(
                cell_error(
                    SHEET_ABOUT,
                    index + 1,
                    ABOUT_HEADERS[0],
                    f'okänd uppgift "{label}". Använd en av: {allowed}.',
                )
            )
            continue
        value = row[1] if len(row) > 1 else None
        raw[field_name] = _int_cell(value) if field_name == "version" else cell_text(value)
        about_row[field_name] = index + 1
    for name in ("key", "name", "kind"):
        if name not in about_row:
            errors.append(
                FieldError(
                    SHEET_ABOUT,
                    f'Blad "{SHEET_ABOUT}": raden "{_ABOUT_LABEL[name]}" saknas. Lägg till den '
                    f'med "{_ABOUT_LABEL[name]}" i kolumnen "{ABOUT_HEADERS[0]}".',
                )
            )
    if raw.get("version") == "":
        raw.pop("version")
    if raw.get("applies_to") == "":
        raw.pop("applies_to")

    # Avsnitt.
    sections: list[dict[str, Any]] = []
    section_row: list[int] = []
    section_index: dict[str, int] = {}
    for row_no, cells in _read_table(
        SHEET_SECTIONS, found[SHEET_SECTIONS].rows, SECTION_COLUMNS, errors
    ):
        section: dict[str, Any] = {
            "key": cell_text(cells.get("key")),
            "title": cell_text(cells.get("title")),
            "description": cell_text(cells.get("description")),
            "role": cell_text(cells.get("role")) or None,
            "items": [],
        }
        section_index.setdefault(section["key"], len(sections))
        sections.append(section)
        section_row.append(row_no)
    raw["sections"] = sections

    # Frågor.
    item_row: dict[tuple[int, int], int] = {}
    known = ", ".join(f'"{k}"' for k in section_index if k)
    for row_no, cells in _read_table(SHEET_ITEMS, found[SHEET_ITEMS].rows, ITEM_COLUMNS, errors):
        section_key = cell_text(cells.get("section"))
        if section_key not in section_index:
            problem = (
                f'Avsnittet "{section_key}" finns inte på bladet "{SHEET_SECTIONS}".'
                if section_key
                else "Ange avsnittets id."
            )
            errors.append(
                cell_error(
                    SHEET_ITEMS,
                    row_no,
                    _ITEM_HEADER["section"],
                    f"{problem} Välj ett av: {known or 'inga avsnitt finns'}.",
                )
            )
            continue
        item: dict[str, Any] = {
            name: _bool_cell(value) if name == "evidence_required" else cell_text(value)
            for name, value in cells.items()
            if name != "section"
        }
        if not item.get("measure"):
            item.pop("measure", None)
        si = section_index[section_key]
        item_row[(si, len(sections[si]["items"]))] = row_no
        sections[si]["items"].append(item)

    def cell_of(loc: Loc) -> tuple[str, int | None, str]:
        if loc and loc[0] == "sections":
            if len(loc) >= 2 and isinstance(loc[1], int):
                si = loc[1]
                if len(loc) >= 4 and loc[2] == "items" and isinstance(loc[3], int):
                    column = _ITEM_HEADER.get(str(loc[4]), "Id") if len(loc) > 4 else "Id"
                    return SHEET_ITEMS, item_row.get((si, loc[3])), column
                name = str(loc[2]) if len(loc) > 2 else "key"
                column = _SECTION_HEADER.get(name, "Id")
                return SHEET_SECTIONS, section_row[si] if si < len(section_row) else None, column
            return SHEET_SECTIONS, None, "Id"
        name = str(loc[0]) if loc else "key"
        return SHEET_ABOUT, about_row.get(name), ABOUT_HEADERS[1]

    checklist, problems = check(raw)
    for p in problems:
        sheet, at_row, column = cell_of(p.loc)
        message = p.message
        if p.other is not None:
            _, other_row, _ = cell_of(p.other)
            if other_row is not None:
                message = message.rstrip(".") + f" (första gången på rad {other_row})."
        if at_row is None:
            if p.loc and p.loc[0] in _ABOUT_LABEL and sheet == SHEET_ABOUT:
                continue  # the missing row is already reported above
            errors.append(FieldError(sheet, f'Blad "{sheet}": {message}'))
        else:
            errors.append(cell_error(sheet, at_row, column, message))
    if errors:
        raise ValidationFailed(
            sorted(errors, key=_reading_order),
            intro=f"Filen {filename!r} har {len(errors)} fel. Inget har sparats.",
        )
    assert checklist is not None
    return checklist


_EXPECTED_BY_SUFFIX = {
    ".yaml": {"text"},
    ".yml": {"text"},
    ".xlsx": {"xlsx"},
    ".xlsm": {"xlsx"},
    ".ods": {"ods"},
    ".xls": {"xls"},
}


def read_upload(data: bytes, filename: str) -> Checklist:
    """Read an uploaded checklist by what its bytes are: YAML text, or a workbook read in a
    guarded child process. A name that says otherwise than the bytes is refused."""
    accept = _EXPECTED_BY_SUFFIX.get(Path(filename).suffix.lower(), {"text", *WORKBOOKS})
    kind = check_upload(data, filename, accept)
    if kind == "text":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                [f"Filen {filename!r} är inte sparad som UTF-8-text. Spara den som UTF-8."]
            ) from exc
        check_yaml(text, filename)
        return load_yaml(text if "\n" in text else text + "\n")
    content = run_guarded(_read_excel_content, data, filename, filename=filename)
    return Checklist.model_validate(content)


def _read_excel_content(data: bytes, filename: str) -> dict[str, Any]:
    """Read a checklist workbook to plain data (runs in the guarded child)."""
    return read_excel(data, filename).model_dump(mode="json")
