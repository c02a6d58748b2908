"""Swedish text: dates, periods, numbers, percentages, lists and counts with number agreement.

Every page, document, export and CLI message formats through these functions, so the same figure
reads the same everywhere ("67 %", never "66,8 %" in one place and "67 %" in another).
"""

from collections.abc import Iterable, Sequence
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
    """A countable Swedish noun: singular, plural, article (en/ett) and the definite forms."""

    singular: str
    plural: str
    article: str = "en"  # "en" or "ett"
    definite: str = ""  # "avvikelsen", "kravet"
    definite_plural: str = ""  # "avvikelserna", "kraven"

    def form(self, n: int) -> str:
        return self.singular if n == 1 else self.plural

    @property
    def neuter(self) -> bool:
        return self.article == "ett"


@dataclass(frozen=True)
class Adjective:
    """An adjective or participle in its three forms: 'uppfylld', 'uppfyllt', 'uppfyllda'."""

    common: str
    neuter: str
    plural: str

    def form(self, n: int, noun: Noun) -> str:
        """The same as `agree`, with the figure first (the overview's status texts)."""
        return self.agree(noun, n)

    def agree(self, noun: Noun, n: int) -> str:
        """The form that agrees with `n` of `noun` ('ett krav ... uppfyllt', '2 krav ... uppfyllda')."""
        if n != 1:
            return self.plural
        return self.neuter if noun.neuter else self.common


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


# --------------------------------------------------------------------------- sentences
#
# The documents' sentences are built here, so every document counts the same way: one is
# "en"/"ett" by the noun's gender, two to twelve are written as words in running text, and a
# figure above twelve puts every figure of the same comparison in digits ("en av två åtgärder",
# "2 av 14 bedömda krav", "1 av 14"); an adjective agrees with what it describes ("är
# verifierad", "var ej uppfyllda"); none is "inga" / "ingen" / "inget".

NUMBER_WORDS = (
    "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
)  # fmt: skip
WORDS_UP_TO = 12


def in_words(*figures: int) -> bool:
    """Whether figures compared in one sentence are written as words (all twelve or less)."""
    return all(0 <= n <= WORDS_UP_TO for n in figures)


def amount(n: int, noun: Noun, *, words: bool = True) -> str:
    """The number of `noun` as running text writes it: 'ett krav', 'två avvikelser', '14 krav'.

    Zero is 'inga avvikelser'. In digits (`words=False`) one is '1'.
    """
    return f"{number(n, noun, words=words)} {noun.form(n)}"


def number(n: int, noun: Noun, *, words: bool = True) -> str:
    """The figure alone, agreeing with the noun: 'ett', 'en', 'två', '14', 'inga'."""
    if n == 0:
        return "inga"
    if not words or n > WORDS_UP_TO:
        return sv_number(n)
    return noun.article if n == 1 else NUMBER_WORDS[n]


def none_word(noun: Noun) -> str:
    """'ingen' or 'inget': none of one noun (singular)."""
    return "inget" if noun.neuter else "ingen"


def part_of(
    part: int,
    total: int,
    noun: Noun,
    state: Adjective,
    *,
    verb: str = "är",
    attribute: Adjective | None = None,
) -> str:
    """'en av två åtgärder är verifierad', '2 av 14 bedömda krav var ej uppfyllda'.

    `attribute` describes the whole ('bedömda'); `state` agrees with the part. All of them is
    'båda åtgärderna är verifierade' / 'samtliga 14 bedömda krav var uppfyllda'; one of one is
    'den enda åtgärden är verifierad'.
    """
    if total <= 0:
        raise ValueError("part_of needs a total above zero")
    if not 0 <= part <= total:
        raise ValueError("the part must lie between zero and the total")
    words = in_words(part, total)
    described = f"{attribute.agree(noun, total)} " if attribute else ""
    definite = f"{attribute.plural} " if attribute else ""  # 'det enda bedömda kravet'
    if total == 1:
        pronoun = "det" if noun.neuter else "den"
        return (
            f"{pronoun} enda {definite}{noun.definite or noun.singular} {verb} "
            f"{'' if part else 'inte '}{state.agree(noun, 1)}"
        )
    if part == total == 2 and noun.definite_plural:
        both = f"båda de {definite}" if attribute else "båda "
        return f"{both}{noun.definite_plural} {verb} {state.agree(noun, 2)}"
    if part == total:
        figure = number(total, noun, words=words)
        return f"samtliga {figure} {described}{noun.plural} {verb} {state.agree(noun, total)}"
    first = none_word(noun) if part == 0 else number(part, noun, words=words)
    whole = number(total, noun, words=words)
    agreeing = 1 if part in (0, 1) else part
    return f"{first} av {whole} {described}{noun.form(total)} {verb} {state.agree(noun, agreeing)}"


def counted_list(pairs: Iterable[tuple[int, Noun]], *, words: bool | None = None) -> str:
    """'två avvikelser och ett förbättringsområde' (what is zero is left out; '' if all are).

    Figures are words when all are twelve or less, unless `words` says otherwise.
    """
    present = [(n, noun) for n, noun in pairs if n > 0]
    if words is None:
        words = in_words(*(n for n, _ in present))
    return sv_join(amount(n, noun, words=words) for n, noun in present)


def none_of(nouns: Sequence[Noun]) -> str:
    """'några avvikelser eller förbättringsområden' (after 'inte'): none of several nouns."""
    return "några " + sv_join([n.plural for n in nouns], "eller")


def tally(parts: Sequence[tuple[int, Adjective]], noun: Noun, *, words: bool | None = None) -> str:
    """'39 uppfyllda, ett delvis uppfyllt och ett ej uppfyllt' ('' when every part is zero).

    Each state agrees with its own figure; zero parts are left out.
    """
    present = [(n, state) for n, state in parts if n > 0]
    if words is None:
        words = in_words(*(n for n, _ in present))
    return sv_join(f"{number(n, noun, words=words)} {state.agree(noun, n)}" for n, state in present)


def share_of(part: int, total: int) -> str:
    """'39 av 41 (95 %)': a part, the whole and the share in whole percent."""
    if total <= 0:
        return sv_number(part)
    return f"{sv_number(part)} av {sv_number(total)} ({sv_percent(part / total)})"


AVVIKELSE = Noun("avvikelse", "avvikelser", "en", "avvikelsen", "avvikelserna")
FORBATTRINGSOMRADE = Noun(
    "förbättringsområde",
    "förbättringsområden",
    "ett",
    "förbättringsområdet",
    "förbättringsområdena",
)
IAKTTAGELSE = Noun("iakttagelse", "iakttagelser", "en", "iakttagelsen", "iakttagelserna")
ATGARD = Noun("åtgärd", "åtgärder", "en", "åtgärden", "åtgärderna")
PUNKT = Noun("punkt", "punkter", "en", "punkten", "punkterna")
GRANSKNINGSPUNKT = Noun(
    "granskningspunkt", "granskningspunkter", "en", "granskningspunkten", "granskningspunkterna"
)
KRAV = Noun("krav", "krav", "ett", "kravet", "kraven")
FRAGA = Noun("fråga", "frågor", "en", "frågan", "frågorna")
UPPFOLJNING = Noun("uppföljning", "uppföljningar", "en", "uppföljningen", "uppföljningarna")
PASS = Noun("pass", "pass", "ett", "passet", "passen")
DAG = Noun("dag", "dagar", "en", "dagen", "dagarna")
MANAD = Noun("månad", "månader", "en", "månaden", "månaderna")
ENHET = Noun("enhet", "enheter", "en", "enheten", "enheterna")
VERKSAMHET = Noun("verksamhet", "verksamheter", "en", "verksamheten", "verksamheterna")
UTFORARE = Noun("utförare", "utförare", "en", "utföraren", "utförarna")
FORSLAG = Noun("förslag", "förslag", "ett", "förslaget", "förslagen")
TILLFALLE = Noun("tillfälle", "tillfällen", "ett", "tillfället", "tillfällena")
RAPPORT = Noun("rapport", "rapporter", "en", "rapporten", "rapporterna")
KLAGOMAL = Noun("klagomål", "klagomål", "ett", "klagomålet", "klagomålen")
ATERUPPFOLJNING = Noun(
    "återuppföljning", "återuppföljningar", "en", "återuppföljningen", "återuppföljningarna"
)

UPPFYLLD = Adjective("uppfylld", "uppfyllt", "uppfyllda")
DELVIS_UPPFYLLD = Adjective("delvis uppfylld", "delvis uppfyllt", "delvis uppfyllda")
EJ_UPPFYLLD = Adjective("ej uppfylld", "ej uppfyllt", "ej uppfyllda")
EJ_AKTUELL = Adjective("ej aktuell", "ej aktuellt", "ej aktuella")
BEDOMD = Adjective("bedömd", "bedömt", "bedömda")
EJ_BEDOMD = Adjective("inte bedömd", "inte bedömt", "inte bedömda")
VERIFIERAD = Adjective("verifierad", "verifierat", "verifierade")
OPPEN = Adjective("öppen", "öppet", "öppna")
FORSENAD = Adjective("försenad", "försenat", "försenade")
GENOMFORD = Adjective("genomförd", "genomfört", "genomförda")


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
