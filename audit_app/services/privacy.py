"""Personal-data guards: no personnummer is ever stored."""

import re

from audit_app.errors import ValidationFailed

# YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDD+NNNN, with or without separator; samordningsnummer too.
_PNR = re.compile(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def looks_like_personnummer(text: str) -> bool:
    """Tell whether the text holds something shaped like a personnummer (valid month, day, Luhn)."""
    for match in _PNR.finditer(text or ""):
        yy, mm, dd, tail = match.groups()
        day = int(dd) - 60 if int(dd) > 60 else int(dd)  # samordningsnummer add 60 to the day
        if 1 <= int(mm) <= 12 and 1 <= day <= 31 and _luhn(yy + mm + dd + tail):
            return True
    return False


def refuse_personnummer(text: str, field: str) -> None:
    """Raise a Swedish error if `text` holds a personnummer-like value."""
    if looks_like_personnummer(text):
        raise ValidationFailed(
            [
                f"{field}: texten innehåller något som ser ut som ett personnummer. "
                "Personnummer får inte sparas här; använd ärendets referens (t.ex. ärendenummer "
                "eller en löpande kod som 'Ärende A')."
            ]
        )
