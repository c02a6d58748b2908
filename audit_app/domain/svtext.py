"""Swedish text: dates, periods, numbers, percentages, lists and counts with number agreement.

Every page, document, export and CLI message formats through these functions, so the same figure
reads the same everywhere ("67 %", never "66,8 %" in one place and "67 %" in another).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
WEEKDAYS_SHORT = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
LOCAL_TZ = ZoneInfo("Europe/Stockholm")
NBSP = "\u00a0"


# --------------------------------------------------------------------------- dates and times


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_local(value).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def sv_date(value: date | datetime | str | None) -> str:
    """22 november 2026; empty for None; unreadable text is returned as it is."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def sv_day_month(value: date) -> str:
    """12 oktober (for sentences within the current year)."""
    return f"{value.day} {MONTHS[value.month - 1]}"


def sv_datetime(day: date, clock: str = "") -> str:
    """22 november 2026 kl. 09.00 (the time left out when there is none)."""
    text = sv_date(day)
    return f"{text} kl. {clock.replace(':', '.')}" if clock else text


def to_local(moment: datetime) -> datetime:
    """A stored UTC time in Swedish local time (naive times are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def sv_moment(moment: datetime | None) -> str:
    """30 november 2026 kl. 14.05, in Swedish local time."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{sv_date(local.date())} kl. {local:%H.%M}"


def sv_short_moment(moment: datetime | None) -> str:
    """2026-11-30 14:05 in Swedish local time (tables)."""
    if moment is None:
        return ""
    return f"{to_local(moment):%Y-%m-%d %H:%M}"


def sv_period(first: date | None, last: date | None) -> str:
    """2–15 mars 2026, 28 februari–13 mars 2026 or 20 december 2025–2 januari 2026."""
    if first is None or last is None:
        return sv_date(first or last)
    if first == last:
        return sv_date(first)
    if first.year != last.year:
        return f"{sv_date(first)}–{sv_date(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]}–{sv_date(last)}"
    return f"{first.day}–{sv_date(last)}"


# --------------------------------------------------------------------------- numbers


def _rounded(value: float, decimals: int) -> Decimal:
    """Round half up (8,5 -> 9), the way people round, not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def sv_number(value: float | int, decimals: int = 1) -> str:
    """12,5 / 1 250 / 3: decimal comma, a no-break space between thousands; whole numbers
    without decimals."""
    number = _rounded(float(value), decimals)
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", NBSP)
    return f"{number:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


def percent_value(share: float) -> int:
    """A share (0.668) as the whole percent every text shows (67)."""
    return int(_rounded(share * 100, 0))


def sv_percent(share: float) -> str:
    """0.668 -> 67 %: the one way a share is written, whole percent, rounded half up."""
    return f"{percent_value(share)}{NBSP}%"


# --------------------------------------------------------------------------- words


def sv_join(items: Iterable[str], last: str = "och") -> str:
    """Join words the Swedish way: a, b och c."""
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def capitalize(text: str) -> str:
    """First letter upper case, the rest as written."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """First letter lower case unless the word is an abbreviation (SKA, LSS, IVO)."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def short(text: str, limit: int = 120) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class Noun:
    """A countable Swedish noun: singular, plural and its article (en/ett)."""

    singular: str
    plural: str
    article: str = "en"  # "en" or "ett"

    def form(self, n: int) -> str:
        return self.singular if n == 1 else self.plural


def count(n: int, noun: Noun, *, zero: str = "inga", digits: bool = False) -> str:
    """'en avvikelse', 'ett förbättringsområde', '2 avvikelser', 'inga avvikelser'.

    With `digits` one is written 1 (tables, headings). `zero` is the word for none.
    """
    if n == 0:
        return f"{zero} {noun.plural}"
    if n == 1 and not digits:
        return f"{noun.article} {noun.singular}"
    return f"{sv_number(n)} {noun.form(n)}"


def count_text(n: int, one: str, many: str) -> str:
    """'1 avvikelse', '3 avvikelser', 'inga avvikelser' (digits; for tables and captions)."""
    return count(n, Noun(one, many), digits=True)


AVVIKELSE = Noun("avvikelse", "avvikelser")
FORBATTRINGSOMRADE = Noun("förbättringsområde", "förbättringsområden", "ett")
IAKTTAGELSE = Noun("iakttagelse", "iakttagelser")
ATGARD = Noun("åtgärd", "åtgärder")
PUNKT = Noun("punkt", "punkter")
KRAV = Noun("krav", "krav", "ett")
UPPFOLJNING = Noun("uppföljning", "uppföljningar")
PASS = Noun("pass", "pass", "ett")
DAG = Noun("dag", "dagar")
MANAD = Noun("månad", "månader")
ENHET = Noun("enhet", "enheter")
FORSLAG = Noun("förslag", "förslag", "ett")
ATERUPPFOLJNING = Noun("återuppföljning", "återuppföljningar")


@dataclass(frozen=True)
class Adjective:
    """A Swedish adjective in its three forms: en-word, ett-word and plural ("försenad",
    "försenat", "försenade")."""

    common: str
    neuter: str
    plural: str

    def form(self, n: int, noun: Noun) -> str:
        if n != 1:
            return self.plural
        return self.neuter if noun.article == "ett" else self.common


FORSENAD = Adjective("försenad", "försenat", "försenade")
OPPEN = Adjective("öppen", "öppet", "öppna")


def count_described(n: int, noun: Noun, adjective: Adjective, *, before: bool = False) -> str:
    """'2 åtgärder försenade', '1 åtgärd försenad' or, with `before`, '3 öppna avvikelser'.

    Always digits (these are figures in a status, read at a glance).
    """
    word = adjective.form(n, noun)
    if before:
        return f"{sv_number(n)} {word} {noun.form(n)}"
    return f"{sv_number(n)} {noun.form(n)} {word}"


def sv_day_in_year(value: date, today: date) -> str:
    """12 oktober within today's year, else 12 oktober 2025."""
    return sv_day_month(value) if value.year == today.year else sv_date(value)
