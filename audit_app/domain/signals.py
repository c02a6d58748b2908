"""Signals about a contractor from outside the follow-ups: the fixed categories of each kind,
how they are counted in words, and which signals belong to a meeting's "sedan förra mötet".

Counts and categories only: a signal never says who was involved (policy 002, SOSFS 2011:9;
deviation reports are about what happened, not who).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from audit_app.domain.calendar import add_months
from audit_app.domain.svtext import Noun, count, sv_join
from audit_app.models import SignalKind

CATEGORIES: dict[SignalKind, dict[str, str]] = {
    SignalKind.lex_sarah: {
        "bemotande": "Brister i bemötande",
        "utebliven_insats": "Utebliven eller felaktig insats",
        "tillsyn": "Brister i tillsyn",
        "overgrepp": "Övergrepp eller kränkning",
        "ekonomi": "Ekonomiska oegentligheter",
        "dokumentation": "Brister i dokumentation",
        "ovrigt": "Övrigt",
    },
    SignalKind.lex_maria: {
        "lakemedel": "Läkemedelshantering",
        "fall": "Fall",
        "vard_behandling": "Vård och behandling",
        "trycksar": "Trycksår",
        "informationsoverforing": "Kommunikation och informationsöverföring",
        "medicinteknik": "Medicinteknisk produkt",
        "ovrigt": "Övrigt",
    },
    SignalKind.klagomal: {
        "bemotande": "Bemötande",
        "kontinuitet": "Kontinuitet och tider",
        "omvardnad": "Omvårdnad och hygien",
        "mat": "Mat och måltider",
        "aktiviteter": "Aktiviteter och utevistelse",
        "information": "Information och delaktighet",
        "ovrigt": "Övrigt",
    },
    SignalKind.synpunkt: {
        "berom": "Beröm",
        "forslag": "Förslag till förbättring",
        "mat": "Mat och måltider",
        "aktiviteter": "Aktiviteter och utevistelse",
        "ovrigt": "Övrigt",
    },
    SignalKind.ivo_beslut: {
        "kritik": "Tillsyn: kritik",
        "forelaggande": "Tillsyn: föreläggande",
        "ingen_kritik": "Tillsyn: avslutad utan kritik",
        "lex_sarah": "Beslut i lex Sarah-ärende",
        "lex_maria": "Beslut i lex Maria-ärende",
        "klagomal": "Beslut i klagomålsärende",
    },
    SignalKind.ej_inlamnad: {
        "kvalitetsberattelse": "Kvalitetsberättelse",
        "egenkontroll": "Egenkontroll",
        "patientsakerhetsberattelse": "Patientsäkerhetsberättelse",
        "riskanalys": "Riskanalys",
        "ovrigt": "Annan begärd redovisning",
    },
}
"""The fixed categories of each kind (code -> label); the code is stored."""

NOUNS: dict[SignalKind, Noun] = {
    SignalKind.lex_sarah: Noun("lex Sarah-rapport", "lex Sarah-rapporter"),
    SignalKind.lex_maria: Noun("lex Maria-anmälan", "lex Maria-anmälningar"),
    SignalKind.klagomal: Noun("klagomål", "klagomål", "ett"),
    SignalKind.synpunkt: Noun("synpunkt", "synpunkter"),
    SignalKind.ivo_beslut: Noun("IVO-beslut", "IVO-beslut", "ett"),
    SignalKind.ej_inlamnad: Noun("rapport som inte lämnats in", "rapporter som inte lämnats in"),
}

WITHOUT_PREVIOUS_MONTHS = 6
"""Without a previous meeting, point 1 counts the signals of the last six months (the cadence)."""

NO_PERSONAL_DATA = (
    "Registrera bara antal och kategori. Skriv inga namn, personnummer eller andra uppgifter "
    "om enskilda brukare, patienter eller medarbetare."
)


def category_label(kind: SignalKind, code: str) -> str:
    """The Swedish label of a stored category (the code itself if unknown)."""
    return CATEGORIES.get(kind, {}).get(code, code)


@dataclass(frozen=True)
class Counted:
    kind: SignalKind
    count: int


def counts_by_kind(signals: Iterable[tuple[SignalKind, int]]) -> list[Counted]:
    """Sum the counts per kind, in the fixed order of the kinds (kinds with none left out)."""
    totals: dict[SignalKind, int] = {}
    for kind, n in signals:
        totals[kind] = totals.get(kind, 0) + n
    return [Counted(k, totals[k]) for k in SignalKind if totals.get(k)]


def counts_text(counted: list[Counted]) -> str:
    """'2 lex Sarah-rapporter, 1 klagomål och 1 IVO-beslut' ('' when none)."""
    return sv_join(count(c.count, NOUNS[c.kind], digits=True) for c in counted)


def window(meeting: date, previous: date | None) -> tuple[date, date]:
    """The days whose signals a meeting reviews: after the previous meeting up to and including
    this one; without a previous meeting, the six months before it."""
    if previous is not None and previous < meeting:
        return previous, meeting
    return add_months(meeting, -WITHOUT_PREVIOUS_MONTHS), meeting


def in_window(day: date, bounds: tuple[date, date]) -> bool:
    """After the first day (the previous meeting's signals were reviewed then), up to the last."""
    return bounds[0] < day <= bounds[1]


def since_text(counted: list[Counted], previous: date | None) -> str:
    """'Sedan förra mötet: 2 lex Sarah-rapporter, 1 klagomål.' for point 1."""
    lead = "Sedan förra mötet" if previous is not None else "De senaste sex månaderna"
    text = counts_text(counted)
    if not text:
        return f"{lead}: inga lex Sarah- eller lex Maria-ärenden, klagomål eller andra signaler."
    return f"{lead}: {text}."
