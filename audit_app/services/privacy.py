"""Personal-data guard: no personnummer or samordningsnummer is ever stored.

Every service that takes free text calls `guard` (or `refuse_personnummer`) before it writes
anything. The text is normalised first, so the usual ways of writing a number are all caught:
Unicode dashes (en and em dash, minus sign) and spaces (no-break, thin), " - " between date and
number, dotted dates (12.12.12-1212), full-width or other Unicode digits, and characters that
do not show (zero-width space, soft hyphen). A number is refused only when it is a possible
date (samordningsnummer: day + 60) with a valid check digit (`stdnum.se.personnummer` and
`stdnum.luhn`), so ordinary dates, telephone numbers, diarienummer and organisationsnummer
(month 20 or more) pass.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

from audit_app.errors import FieldError, ValidationFailed

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = dict.fromkeys(map(ord, _DASHES), "-")

# After normalising: an optional century, a date of six digits (or dotted, 12.12.12), an
# optional separator (- or +, with or without spaces around it, or a space alone) and four
# digits. Neither end may touch a letter or digit (a hexadecimal id is not a number), and the
# four digits may not go on as a date does ("2026-11-02-2026-11-15" is two dates).
_NUMBER = re.compile(
    r"(?<![\w.])"
    r"(?P<century>1[89]|20)?"
    r"(?P<yy>\d{2})(?P<dot>\.?)(?P<mm>\d{2})(?P=dot)(?P<dd>\d{2})"
    r"(?: ?(?P<sep>[-+]) ?| )?"
    r"(?P<tail>\d{4})"
    r"(?![\w]|[-.]\d)"
)

MESSAGE = (
    "{label}: texten innehåller ett personnummer eller samordningsnummer. Personnummer får "
    "inte sparas; skriv ärendets referens i stället (t.ex. ärendenummer eller en löpande kod "
    "som 'Ärende A'). Är det ett telefonnummer, skriv det som 070-123 45 67."
)


def normalise(text: str) -> str:
    """Return the text with Unicode digits, dashes and spaces as ASCII, invisible marks gone."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASH_TABLE)
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif not ch.isascii() and ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out))


def _is_number(match: re.Match[str]) -> bool:
    century, yy, mm, dd, sep, tail = match.group("century", "yy", "mm", "dd", "sep", "tail")
    digits = yy + mm + dd + tail
    if not luhn.is_valid(digits):
        return False
    day = int(dd) - 60 if int(dd) > 60 else int(dd)  # samordningsnummer: day + 60
    birth = f"{century or ''}{yy}{mm}{day:02d}{sep or '-'}{tail}"
    try:
        personnummer.get_birth_date(birth)
    except ValidationError:
        return False
    return True


def find_personnummer(text: str | None) -> list[str]:
    """Return every personnummer or samordningsnummer in the text, as written there (normalised)."""
    if not text:
        return []
    return [m.group(0) for m in _NUMBER.finditer(normalise(text)) if _is_number(m)]


def looks_like_personnummer(text: str | None) -> bool:
    """Tell whether the text holds a personnummer or samordningsnummer with a valid check digit."""
    return bool(find_personnummer(text))


def redact(text: str) -> str:
    """Return the text with every personnummer replaced by ÅÅMMDD-XXXX (for derived texts)."""
    normal = normalise(text)
    if not any(_is_number(m) for m in _NUMBER.finditer(normal)):
        return text
    return _NUMBER.sub(lambda m: "ÅÅMMDD-XXXX" if _is_number(m) else m.group(0), normal)


def _texts(value: Any) -> Iterable[str]:
    """Every string in a value: itself, or the items of a list, or the values of a mapping."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _texts(item)


def refuse_personnummer(text: Any, label: str, field: str = "") -> None:
    """Raise ValidationFailed naming the field if the text holds a personnummer."""
    guard({field or label: (label, text)})


def guard(fields: Mapping[str, tuple[str, Any]]) -> None:
    """Refuse free text holding a personnummer: `{field: (Swedish label, text or texts)}`.

    Every field is checked; one ValidationFailed names each field that holds a number.
    """
    errors = [
        FieldError(field, MESSAGE.format(label=label))
        for field, (label, value) in fields.items()
        if any(looks_like_personnummer(text) for text in _texts(value))
    ]
    if errors:
        raise ValidationFailed(errors)
