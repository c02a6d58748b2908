"""What the demo's revisor answers: figures, text answers and comments a municipality recognises.

Staffing figures are drawn per meeting in plausible ranges (0,60–0,90 årsarbetare per plats on a
särskilt boende, 55–85 % of the hours worked by undersköterskor) and the judgements agree with
them: a share below the contract's commitment makes the competence question and the contract's
undersköterska requirement not met. Cases are referred to as "Ärende 2026-0142", never with
personal data; no text names a person.
"""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from audit_app.domain import calendar
from audit_app.domain.svtext import sv_number
from audit_app.models import FollowUpKind, UnitKind

USK_CLAUSES = frozenset({"4.2.2", "5.2.1", "6.2.2"})
"""The undersköterska requirement of each standard list (särskilt boende, hemtjänst, LSS)."""
NEW_ACT = date(2025, 7, 1)
"""Socialtjänstlagen (2025:400) replaced socialtjänstlagen (2001:453) on this day."""


@dataclass(frozen=True)
class Staffing:
    """The staffing figures of one meeting's two-week schedule."""

    fte_per_place: float
    usk_share: int
    hourly_share: int
    delivered_share: int
    commitment: int

    @property
    def usk_below(self) -> bool:
        return self.usk_share < self.commitment


@dataclass(frozen=True)
class Meeting:
    """What the answers of one follow-up depend on."""

    kind: FollowUpKind
    held: date
    unit_name: str
    unit_kind: UnitKind
    staffing: Staffing


Answer = tuple[str, str]
"""(value, comment) of an item answered with a value."""


def staffing_figures(rng: random.Random, unit_kind: UnitKind, commitment: int) -> Staffing:
    """Draw figures of the kind the schedule review gives, mostly meeting the commitment."""
    share = commitment + rng.choice([-9, -4, 2, 4, 6, 8, 10])
    lss = unit_kind is UnitKind.lss_bostad
    fte = rng.uniform(1.20, 1.60) if lss else rng.uniform(0.60, 0.90)
    return Staffing(
        fte_per_place=round(fte, 2),
        usk_share=max(55, min(85, share)),
        hourly_share=rng.randint(6, 22),
        delivered_share=rng.randint(88, 99),
        commitment=commitment,
    )


def _working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _act(decided: date) -> str:
    """Return the social services act in force on the day of a decision."""
    if decided >= NEW_ACT:
        return "socialtjänstlagen (2025:400)"
    return "4 kap. 1 § socialtjänstlagen (2001:453)"


def _granted(rng: random.Random, kind: UnitKind, decided: date) -> str:
    if kind is UnitKind.lss_bostad:
        return f"Bostad med särskild service för vuxna enligt 9 § 9 LSS, beslut {decided}"
    if kind is UnitKind.hemtjanst:
        hours = rng.choice([18, 26, 34, 48, 62])
        return (
            f"Hemtjänst, {hours} timmar per månad (omvårdnad och service), beslut {decided}, "
            f"enligt {_act(decided)}"
        )
    return f"Särskilt boende för äldre, permanent plats, beslut {decided}, enligt {_act(decided)}"


NEW_MANAGER = "Ny enhetschef sedan förra uppföljningen; bytet är anmält till kommunen."
NEW_SYSTEM = "Nytt verksamhetssystem för social dokumentation sedan i våras."
CHANGES = {
    UnitKind.sarskilt_boende: [
        NEW_MANAGER,
        NEW_SYSTEM,
        "En avdelning har renoverats; de boende flyttade tillbaka efter tre veckor.",
    ],
    UnitKind.hemtjanst: [
        NEW_MANAGER,
        NEW_SYSTEM,
        "Arbetsgrupperna har delats om efter nya geografiska områden.",
    ],
    UnitKind.lss_bostad: [
        NEW_MANAGER,
        NEW_SYSTEM,
        "En ny boende har flyttat in; lägenheten stod tom i två månader.",
    ],
}
VACANCIES = [
    "Två vakanta tjänster som undersköterska natt; täcks av timavlönade, rekrytering pågår.",
    "Enhetschefen är föräldraledig; en vikarierande chef är anställd till årets slut.",
    "Tre tjänster tillsatta sedan förra mötet; en vakans kvar på kvällstid.",
]
OWN_REPORTS = (
    "Utföraren rapporterade ett pass med underbemanning nattetid och en försenad "
    "redovisning av brukarundersökningen."
)
IVO_VISIT = (
    "IVO gjorde en inspektion under perioden som gällde bemanningen nattetid; beslutet "
    "innehöll inga krav på åtgärder."
)
TEXTS = {
    "rikt-fragestallning": (
        "Lever utföraren upp till avtalets åtagande om bemanning kvällar och helger? Är "
        "åtgärderna efter förra årets avvikelser genomförda och hållbara?"
    ),
    "rikt-slutsats": (
        "Utföraren uppfyller i huvudsak avtalets krav inom det granskade området. "
        "Dokumentationen av erbjudna aktiviteter behöver bli mer fullständig och redovisas som "
        "ett förbättringsområde."
    ),
    "rikt-mottagare": "Vård- och omsorgsutskottet, med kopia till kvalitetsrådet.",
    "kr-sam-01": (
        "Personalen beskriver värdegrunden och rutinerna samstämmigt, och genomförandeplanerna "
        "i stickproven är aktuella."
    ),
    "kr-sam-02": (
        "Egenkontrollerna dokumenteras inte enligt planen, och avvikelserna sammanställs inte "
        "varje kvartal."
    ),
    "kb-sammanfattning": (
        "Kvalitetsberättelsen är komplett och beskriver egenkontroller, avvikelser och "
        "klagomål med åtgärder."
    ),
}
COUNTS = {
    "ls-klag-04": (0, 3),
    "rikt-intervjuer": (4, 9),
    "kb-egen-antal": (8, 20),
    "kb-avv-antal": (40, 160),
    "kb-sarah-antal": (0, 4),
    "kb-sarah-ivo": (0, 1),
}


def value_answers(
    rng: random.Random, meeting: Meeting, agenda: list[dict[str, Any]], noted: str = ""
) -> dict[str, Answer]:
    """Return the value and comment of each item answered with a value (ja/nej, tal, datum, text).

    `noted` is the revisor's note on the question not met, which a kvalitetsrevision also
    names as its proposed förbättringsområde."""
    held, staffing = meeting.held, meeting.staffing
    out: dict[str, Answer] = {}
    case_numbers = rng.sample(range(101, 1999), 3)
    decided_days = rng.sample(range(60, 400), 3)
    for item in agenda:
        key, answer = item["key"], item.get("answer", "bedomning")
        if answer == "bedomning":
            continue
        if key == "forg-forandringar":
            out[key] = (
                ("ja", rng.choice(CHANGES[meeting.unit_kind]))
                if rng.random() < 0.25
                else ("nej", "")
            )
        elif key == "bem-vakanser":
            out[key] = ("ja", rng.choice(VACANCIES)) if rng.random() < 0.4 else ("nej", "")
        elif key == "avt-egna-avvikelser":
            out[key] = ("ja", OWN_REPORTS) if rng.random() < 0.2 else ("nej", "")
        elif key == "avt-ivo":
            out[key] = ("ja", IVO_VISIT) if rng.random() < 0.15 else ("nej", "")
        elif key in ("avt-sanktioner", "rikt-ateruppfoljning"):
            out[key] = ("nej", "")
        elif key == "rikt-observation":
            out[key] = ("ja", "Anmält besök dagtid och en oanmäld kväll.")
        elif answer == "ja_nej":
            out[key] = ("ja", "")
        elif key == "bem-arsarbetare":
            out[key] = (f"{staffing.fte_per_place:.2f}", "")
        elif key == "bem-andel-usk":
            out[key] = (str(staffing.usk_share), "")
        elif key == "bem-timavlonade":
            out[key] = (str(staffing.hourly_share), "")
        elif key == "bem-utford-tid":
            out[key] = (str(staffing.delivered_share), "")
        elif key in COUNTS:
            out[key] = (str(rng.randint(*COUNTS[key])), "")
        elif answer == "tal":
            out[key] = (str(rng.randint(1, 5)), "")
        elif key == "bem-period":
            start = held - timedelta(days=21)
            out[key] = ((start - timedelta(days=start.weekday())).isoformat(), "")
        elif key == "atg-nasta":
            out[key] = (_working_day(held + timedelta(days=182)).isoformat(), "")
        elif key == "ls-rev-01":
            out[key] = (_working_day(held - timedelta(days=rng.randint(150, 330))).isoformat(), "")
        elif answer == "datum":
            continue  # e.g. the re-check date: set when it is planned
        elif re.fullmatch(r"arende\d-referens", key):
            number = case_numbers[int(key[len("arende")]) - 1]
            out[key] = (f"Ärende {held.year}-{number:04d}", "")
        elif re.fullmatch(r"arende\d-insats", key):
            decided = held - timedelta(days=decided_days[int(key[len("arende")]) - 1])
            out[key] = (_granted(rng, meeting.unit_kind, decided), "")
        elif key == "rikt-beslut":
            decided = _working_day(held - timedelta(days=rng.randint(30, 60)))
            out[key] = (f"Vård- och omsorgsutskottet {decided}, § {rng.randint(20, 90)}", "")
        elif key == "rikt-avgransning":
            out[key] = (
                f"{meeting.unit_name}: bemanning kvällar och helger och hur avtalets krav på "
                "aktiviteter uppfylls, som underlag inför beslut om förlängning av avtalet.",
                "",
            )
        elif key == "kr-sam-02" and noted:
            out[key] = (noted, "")
        elif key == "kb-ar":
            out[key] = (str(held.year - 1), "")
        else:
            out[key] = (TEXTS.get(key, "Se kommentarerna under respektive punkt."), "")
    return out


# What the revisor found when a requirement was not met, and the actions the contractor was
# asked for, by topic. Each standard list numbers the same topic differently (4.x särskilt
# boende, 5.x hemtjänst, 6.x LSS); `CLAUSE_TOPICS` maps each clause to its topic, so a comment
# always concerns the requirement it is written under. Only these clauses are judged not met.
TOPICS: dict[str, tuple[str, list[str]]] = {
    "logg": (
        "Loggkontroller i dokumentationssystemet har inte gjorts sedan förra uppföljningen.",
        ["Genomföra loggkontroll varje månad och redovisa resultatet till kommunen"],
    ),
    "kris": (
        "Planen för kris och kontinuitet är inte reviderad på tre år och har inte övats med "
        "personalen.",
        ["Revidera planen för kris och kontinuitet och öva den med personalen"],
    ),
    "intro": (
        "Introduktionschecklistor saknas för två av tre nyanställda i stickprovet.",
        [
            "Komplettera introduktionen för nyanställda och redovisa ifyllda checklistor",
            "Införa en fast introduktionsdag för vikarier före sommaren",
        ],
    ),
    "kompetens": (
        "Kompetensutvecklingsplanen för året är inte fastställd, och två planerade "
        "utbildningar har skjutits upp.",
        ["Fastställa kompetensutvecklingsplanen och redovisa genomförda utbildningar"],
    ),
    "gp-ny": (
        "Genomförandeplan saknades för två av fem i stickprovet som började få insatser under "
        "perioden.",
        ["Upprätta genomförandeplaner för dem som saknar det och redovisa datum"],
    ),
    "gp-uppfoljning": (
        "Genomförandeplanerna har inte följts upp inom sex månader i tre av fem akter.",
        [
            "Följa upp samtliga genomförandeplaner som är äldre än sex månader",
            "Lägga in uppföljningsdatum för varje genomförandeplan i verksamhetssystemet",
        ],
    ),
    "dokumentation": (
        "I två av fem akter saknas anteckningar om genomförda insatser under flera dagar i följd.",
        ["Gå igenom dokumentationsrutinen med personalen och granska fem akter i månaden"],
    ),
    "aktiviteter": (
        "Det dokumenteras inte vilka aktiviteter och vilken utevistelse som har erbjudits och "
        "genomförts.",
        ["Dokumentera erbjudna och genomförda aktiviteter för varje boende"],
    ),
    "nattfasta": (
        "Nattfastan var längre än elva timmar för fyra av tio boende enligt måltidsregistreringen.",
        ["Erbjuda nattmål och mäta nattfastan under två veckor"],
    ),
    "klagomal": (
        "Två klagomål från närstående har inte besvarats inom rutinens tidsgräns.",
        ["Besvara klagomålen och följa rutinens tidsgränser; redovisa klagomålsloggen"],
    ),
    "lex-sarah": (
        "Kommunen har inte informerats om två rapporter enligt lex Sarah under perioden.",
        ["Informera kommunen om varje lex Sarah-rapport inom avtalad tid"],
    ),
    "avvikelser": (
        "Avvikelserna har inte sammanställts eller analyserats sedan förra kvartalet.",
        [
            "Sammanställa och analysera avvikelserna varje kvartal och redovisa åtgärderna",
            "Gå igenom kvartalets avvikelser på arbetsplatsträff",
        ],
    ),
    "delegering": (
        "Två delegeringar hade gått ut utan att förnyas.",
        [
            "Förnya de delegeringar som har gått ut och kontrollera giltighetstiden varje månad",
        ],
    ),
    "lakemedel": (
        "Signeringslistorna saknade signatur vid fyra tillfällen under den granskade veckan.",
        ["Kontrollera signeringslistorna varje vecka i tre månader och redovisa resultatet"],
    ),
    "riskbedomning": (
        "Riskbedömningar för fall och undernäring var äldre än sex månader för tre av fem i "
        "stickprovet.",
        ["Göra om riskbedömningarna och registrera dem i Senior alert"],
    ),
    "brukarundersokning": (
        "Resultatet av brukarundersökningen har inte analyserats eller redovisats till kommunen.",
        ["Analysera brukarundersökningen och redovisa förbättringsåtgärder"],
    ),
    "skydd": (
        "Individuell bedömning och samtycke är inte dokumenterade för en skyddsåtgärd i "
        "stickprovet.",
        ["Dokumentera bedömning, samtycke och uppföljning för varje skyddsåtgärd"],
    ),
    "brand": (
        "Ingen utrymningsövning har gjorts det senaste året, och två nyanställda saknar "
        "brandskyddsutbildning.",
        ["Genomföra en utrymningsövning och brandskyddsutbildning och dokumentera dem"],
    ),
    "underleverantor": (
        "Underleverantören för tvätt anlitades utan kommunens skriftliga godkännande.",
        ["Ansöka om kommunens godkännande av underleverantören"],
    ),
    "legitimation": (
        "Två medarbetare bar inte legitimation vid de hembesök som följdes.",
        ["Påminna all personal om legitimationen och kontrollera den vid stickprov"],
    ),
    "nycklar": (
        "Kvittens saknades för tre av tio nycklar i stickprovet.",
        ["Inventera nycklarna och kvittera varje uttag och återlämning"],
    ),
    "utford-tid": (
        "Skillnader mellan planerad och utförd tid följs inte upp med brukarna.",
        ["Följa upp skillnader mellan planerad och utförd tid varje månad"],
    ),
    "besked": (
        "Brukare i intervjuerna uppger att de inte får besked när besökstiden ändras.",
        ["Ringa brukaren när besökstiden ändras och följa upp det i brukarintervjuer"],
    ),
    "larm": (
        "Fyra larm under perioden hade längre inställelsetid än avtalet medger enligt larmloggen.",
        ["Analysera de sena larmen och redovisa hur inställelsetiden ska hållas"],
    ),
    "halsa": (
        "I två fall rapporterades en försämring i hälsotillståndet till sjuksköterskan först "
        "dagen efter.",
        ["Gå igenom rutinen för rapportering till sjuksköterska med all personal"],
    ),
    "kontinuitet": (
        "Brukarna i stickprovet mötte i genomsnitt 16 olika personal under 14 dagar, fler än "
        "avtalet medger.",
        ["Planera fasta arbetslag per område och mäta kontinuiteten igen om tre månader"],
    ),
    "redovisning": (
        "Utförd tid har inte redovisats till kommunen för två av de senaste sex månaderna.",
        ["Redovisa utförd tid månadsvis till kommunen"],
    ),
    "kommunikation": (
        "Bildstöd används inte i genomförandeplanerna för de två boende som behöver det.",
        ["Ta fram genomförandeplaner med bildstöd tillsammans med de boende"],
    ),
    "pengar": (
        "Kassaboken för en boendes kontanter var inte avstämd de senaste två månaderna.",
        ["Stämma av kassaböckerna varje månad med två personers signatur"],
    ),
    "tandvard": (
        "Två av sex boende har inte erbjudits munhälsobedömning det senaste året.",
        ["Erbjuda munhälsobedömning och dokumentera erbjudandet"],
    ),
}
CLAUSE_TOPICS: dict[str, str] = {
    # särskilt boende
    "4.1.4": "logg",
    "4.1.6": "kris",
    "4.2.4": "intro",
    "4.2.5": "kompetens",
    "4.3.1": "gp-ny",
    "4.3.2": "gp-uppfoljning",
    "4.3.4": "dokumentation",
    "4.3.5": "aktiviteter",
    "4.3.6": "nattfasta",
    "4.4.1": "klagomal",
    "4.4.3": "lex-sarah",
    "4.4.5": "avvikelser",
    "4.5.1": "delegering",
    "4.5.2": "lakemedel",
    "4.5.4": "riskbedomning",
    "4.6.1": "brukarundersokning",
    "4.7.1": "skydd",
    "4.7.2": "brand",
    "4.8.2": "underleverantor",
    # hemtjänst
    "5.1.4": "kris",
    "5.1.6": "logg",
    "5.2.3": "intro",
    "5.2.4": "legitimation",
    "5.2.5": "nycklar",
    "5.2.6": "utford-tid",
    "5.3.1": "gp-ny",
    "5.3.2": "gp-uppfoljning",
    "5.3.4": "besked",
    "5.3.5": "dokumentation",
    "5.3.6": "larm",
    "5.4.1": "klagomal",
    "5.4.3": "lex-sarah",
    "5.4.5": "avvikelser",
    "5.5.1": "delegering",
    "5.5.2": "lakemedel",
    "5.5.4": "halsa",
    "5.6.1": "brukarundersokning",
    "5.6.2": "kontinuitet",
    "5.6.3": "redovisning",
    "5.8.2": "underleverantor",
    # LSS bostad
    "6.1.4": "logg",
    "6.1.6": "kris",
    "6.2.4": "intro",
    "6.2.5": "kompetens",
    "6.3.1": "gp-ny",
    "6.3.2": "gp-uppfoljning",
    "6.3.4": "dokumentation",
    "6.3.6": "aktiviteter",
    "6.3.7": "kommunikation",
    "6.3.8": "pengar",
    "6.4.1": "klagomal",
    "6.4.3": "lex-sarah",
    "6.4.5": "avvikelser",
    "6.5.1": "delegering",
    "6.5.2": "lakemedel",
    "6.5.4": "tandvard",
    "6.7.1": "skydd",
    "6.7.2": "brand",
    "6.8.2": "underleverantor",
}
NOT_APPLICABLE: dict[str, str] = {
    "4.8.3": "Avtalet löper; överlämnandet bedöms när avtalet upphör.",
    "5.8.3": "Ingen brukare har bytt utförare under perioden.",
    "6.8.3": "Avtalet löper; överlämnandet bedöms när avtalet upphör.",
}
"""Requirements a revisor marks "ej aktuellt" while the contract runs, with why."""

# The one question of another kind of follow-up that is not fully met: (item key, the
# revisor's note). The note becomes the förbättringsområde's text.
QUESTION_FAILURES: dict[FollowUpKind, list[tuple[str, str]]] = {
    FollowUpKind.ledningssystem: [
        (
            "ls-risk-03",
            "Ingen riskanalys gjordes inför att bemanningen nattetid ändrades i våras.",
        ),
        (
            "ls-klag-03",
            "Klagomålen sammanställs men analyseras inte för att hitta mönster och trender.",
        ),
    ],
    FollowUpKind.kvalitetsrevision: [
        (
            "kr-egen-03",
            "Egenkontrollerna dokumenteras, men bristerna de visar leder inte till "
            "dokumenterade förbättringar.",
        ),
        (
            "kr-klag-03",
            "Klagomål och synpunkter sammanställs inte, så mönster och trender syns inte.",
        ),
    ],
    FollowUpKind.riktad: [
        (
            "rikt-rutiner",
            "Rutinen för aktiviteter följs, men det dokumenteras inte vad som har erbjudits "
            "kvällar och helger.",
        ),
    ],
    FollowUpKind.bistandsarenden: [
        (
            "arende2-erhallit",
            "Enligt utförarens dokumentation gavs inte alla beviljade insatser under två "
            "veckor i juli, då det saknades personal.",
        ),
        (
            "arende3-effekt",
            "Genomförandeplanen följs inte upp mot målen i beslutet, så effekten går inte att "
            "bedöma.",
        ),
    ],
}

AREA_ACTIONS = {
    "Bemanning och kompetens": [
        "Rekrytera till de vakanta underskötersketjänsterna och redovisa kompetensen per roll",
        "Redovisa andelen timmar utförda av undersköterskor varje månad till kommunen",
    ],
}
GENERAL_ACTIONS = [
    "Revidera rutinen och gå igenom den med all personal",
    "Genomföra egenkontroll av området och redovisa resultatet",
]
IMPROVEMENTS: dict[UnitKind, list[tuple[str, str]]] = {
    UnitKind.sarskilt_boende: [
        (
            "Anhörigas delaktighet",
            "Utföraren kan utveckla formerna för anhörigas delaktighet, t.ex. genom "
            "anhörigträffar.",
        ),
        (
            "Måltidsmiljö",
            "Måltiderna kan bli lugnare med fler bord och personal som äter med de boende.",
        ),
        (
            "Introduktion av vikarier",
            "Vikarier kan få en längre introduktion med bredvidgång även under sommaren.",
        ),
    ],
    UnitKind.hemtjanst: [
        (
            "Besked om ändrade besökstider",
            "Brukarna kan få besked om ändrade besökstider med sms eller telefon samma dag.",
        ),
        (
            "Introduktion av vikarier",
            "Sommarvikarier kan gå bredvid fler dagar innan de besöker brukare ensamma.",
        ),
    ],
    UnitKind.lss_bostad: [
        (
            "Inflytande på husmötena",
            "De boende kan få större inflytande på husmötena, t.ex. med bildstöd i kallelsen.",
        ),
        (
            "Fritid kvällar och helger",
            "Fler aktiviteter utanför bostaden kan planeras kvällar och helger tillsammans med "
            "de boende.",
        ),
    ],
}


def failable(clause: str) -> bool:
    """Whether the demo may judge this requirement not met (it has a fitting comment)."""
    return clause in CLAUSE_TOPICS


def fail_comment(clause: str) -> str:
    """The revisor's note on a requirement not met."""
    return TOPICS[CLAUSE_TOPICS[clause]][0]


def actions_for(rng: random.Random, clause: str, area: str, count: int) -> list[str]:
    """Up to `count` actions for an avvikelse against `clause` (its topic's, else the area's)."""
    topic = CLAUSE_TOPICS.get(clause)
    pool = TOPICS[topic][1] if topic else AREA_ACTIONS.get(area, GENERAL_ACTIONS)
    return pool[:count] if topic else rng.sample(pool, min(count, len(pool)))


def question_failure(rng: random.Random, kind: FollowUpKind, keys: set[str]) -> Answer | None:
    """(item key, note) of the one question not fully met in a follow-up of another kind."""
    options = [(k, note) for k, note in QUESTION_FAILURES.get(kind, []) if k in keys]
    return rng.choice(options) if options else None


def carried_comment(open_count: int, total: int) -> str:
    """The note on "åtgärderna i föregående åtgärdsplan är genomförda" when some are not."""
    if total == 1:
        return (
            "Åtgärden från föregående åtgärdsplan är inte verifierad; den följs upp under "
            "punkt 1 och vid nästa möte."
        )
    if open_count == total:
        return (
            f"Ingen av de {total} åtgärderna från föregående åtgärdsplan är verifierad; de "
            "följs upp under punkt 1 och vid nästa möte."
        )
    return (
        f"{open_count} av {total} åtgärder från föregående åtgärdsplan är inte verifierade; de "
        "följs upp under punkt 1 och vid nästa möte."
    )


def staffing_notes(meeting: Meeting, answers: dict[str, Answer]) -> dict[str, str]:
    """The notes of point 2 (personaltäthet, närvarande kompetens, comment) as the revisor
    writes them from the schedule review, agreeing with the figures answered."""
    staffing = meeting.staffing
    if meeting.unit_kind is UnitKind.hemtjanst:
        density = (
            f"Utförd tid {staffing.delivered_share} % av planerad tid under perioden; "
            "planeringen följer biståndsbesluten."
        )
    else:
        density = (
            f"{sv_number(staffing.fte_per_place, 2)} årsarbetare per plats under perioden; "
            "bemanningen följer schemat dag, kväll och natt."
        )
    competence = (
        f"{staffing.usk_share} % av de arbetade timmarna utfördes av undersköterskor "
        f"(avtalet: minst {staffing.commitment} %)."
    )
    vacancy = answers.get("bem-vakanser", ("", ""))[1]
    hourly = (
        f"{staffing.hourly_share} % av timmarna utfördes av timavlönad personal eller "
        "bemanningsföretag."
    )
    return {
        "personaltathet": density,
        "narvarande_kompetens": competence,
        "bemanning_kommentar": f"{vacancy} {hourly}".strip(),
    }


def usk_comment(staffing: Staffing) -> str:
    return (
        f"{staffing.usk_share} % av de arbetade timmarna utfördes av undersköterskor; avtalet "
        f"kräver minst {staffing.commitment} %."
    )
