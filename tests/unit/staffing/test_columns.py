"""Which column holds which field: Swedish synonyms, explicit choices, required fields."""

from pathlib import Path

import pytest

from audit_app.services.staffing.columns import detect_mapping, mapping_problems, missing_fields
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.reading import inspect_schedule
from tests.unit.staffing.fixtures import CSV_HEADER, read_errors, write_csv


def test_detect_mapping_from_swedish_synonyms() -> None:
    assert detect_mapping(["Namn", "Datum", "Från", "Till", "Titel", "Enhet", "Rast"]) == {
        "name": "Namn",
        "date": "Datum",
        "start": "Från",
        "end": "Till",
        "role": "Titel",
        "section": "Enhet",
        "break": "Rast",
    }
    assert detect_mapping(["Dag", "Arbetstid", "Roll", "Avdelning", "Anställd"]) == {
        "date": "Dag",
        "range": "Arbetstid",
        "role": "Roll",
        "section": "Avdelning",
        "name": "Anställd",
    }
    # The better synonym wins: Datum over Dag, Avdelning over Enhet; Start/Slut over Tid.
    found = detect_mapping(["Dag", "Datum", "Enhet", "Avdelning", "Starttid", "Sluttid", "Tid"])
    assert found == {"date": "Datum", "section": "Avdelning", "start": "Starttid", "end": "Sluttid"}
    assert detect_mapping(["Rast tid", "Tid in", "Tid ut", "Yrke"]) == {
        "break": "Rast tid",
        "start": "Tid in",
        "end": "Tid ut",
        "role": "Yrke",
    }
    assert detect_mapping(["Summa", "Kommentar", None, 12]) == {}


def test_explicit_mapping_wins(tmp_path: Path) -> None:
    text = "Datum;Pass;Kl;Yrke;Grupp;Namn;Titel\n2026-11-02;Dag;07:00-15:00;Vårdbiträde;A;X;USK\n"
    path = write_csv(tmp_path, text)
    assert read_schedule(path, mapping={"range": "Kl"}).shifts.iloc[0]["role"] == "Vårdbiträde"
    schedule = read_schedule(path, mapping={"range": "kl", "role": "Titel", "name": ""})
    assert schedule.shifts.iloc[0]["role"] == "USK"
    assert schedule.mapping == {"date": "Datum", "range": "Kl", "section": "Grupp", "role": "Titel"}
    assert schedule.distinct_people is None
    # Swedish field names are accepted too.
    swedish = read_schedule(path, mapping={"tid": "Kl", "befattning": "Titel"})
    assert swedish.shifts.iloc[0]["role"] == "USK"


def test_inspect_shows_headers_mapping_and_what_is_missing(tmp_path: Path) -> None:
    text = "Schema\n\nDatum;Kl;Slut;Namn;Avdelning\n2026-11-02;07:00;15:00;X;A\n"
    path = write_csv(tmp_path, text)
    with pytest.raises(ScheduleError, match="hittar ingen rubrikrad"):
        inspect_schedule(path)
    layout = inspect_schedule(path, mapping={"start": "Kl"})
    assert (layout.header_row, layout.headers) == (3, ["Datum", "Kl", "Slut", "Namn", "Avdelning"])
    assert layout.mapping == {
        "date": "Datum",
        "start": "Kl",
        "end": "Slut",
        "name": "Namn",
        "section": "Avdelning",
    }
    assert layout.missing == ["role"]


def test_missing_required_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Datum;Start;Slut;Namn\n2026-11-02;07:00;15:00;X\n")
    messages = read_errors(path)
    assert [m.split(" (")[0] for m in messages] == [
        "schema.csv: kolumn för befattning saknas",
        "schema.csv: kolumn för avdelning saknas",
    ]
    assert "Befattning, Yrke, Roll, Titel" in messages[0]


def test_mapped_header_not_in_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{CSV_HEADER}\n2026-11-02;07:00;15:00;USK;A;X\n")
    with pytest.raises(ScheduleError, match=r"hittar ingen rubrikrad .*'Yrkesroll'"):
        read_schedule(path, mapping={"role": "Yrkesroll"})
    with pytest.raises(ScheduleError, match="Okänt fält 'färg'"):
        read_schedule(path, mapping={"färg": "Namn"})


def test_required_fields_are_decided_in_one_place() -> None:
    assert missing_fields(["date", "range", "role", "section"]) == []
    assert missing_fields(["date", "start", "end", "role", "section"]) == []
    assert missing_fields(["date", "start", "section"]) == ["end", "role"]
    assert missing_fields([]) == ["date", "start", "end", "role", "section"]


def test_columns_chosen_by_hand_say_what_is_missing_or_chosen_twice() -> None:
    fine = {"date": "Datum", "range": "Tid", "role": "Yrke", "section": "Avd", "name": ""}
    assert mapping_problems(fine) == []
    assert mapping_problems(fine | {"role": "", "range": ""}) == [
        "Välj kolumnen för befattning.",
        "Välj kolumnerna för starttid och sluttid, eller en kolumn för arbetstid "
        "(intervall som 07:00-15:30).",
    ]
    assert mapping_problems(fine | {"range": "", "start": "Tid"}) == [
        "Välj kolumnerna för starttid och sluttid, eller en kolumn för arbetstid "
        "(intervall som 07:00-15:30).",
    ]
    assert mapping_problems(fine | {"name": "Avd"}) == [
        "Kolumnen 'Avd' är vald för flera fält: avdelning, namn."
    ]
