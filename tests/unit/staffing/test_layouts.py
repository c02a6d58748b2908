"""Every schedule layout the reader recognises, as xlsx and as CSV, gives the known result of
the scenario: the same breaches, hours and competent share."""

from pathlib import Path

import pytest

from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.reading import inspect_schedule
from audit_app.services.staffing.rules import load_rules
from tests.unit.staffing.fixtures import RULES_YAML, SCENARIO_BREACHES
from tests.unit.staffing.layouts import LAYOUTS, write_csv, write_xlsx

KNOWN = {
    "shifts": 27,
    "total_hours": 198.0,
    "competent_hours": 142.5,
    "competent_share": 0.7197,
    "distinct_people": 12,
    "breaches": SCENARIO_BREACHES,
    "from": "2026-11-02",
    "to": "2026-11-04",
}


def _known_part(path: Path) -> dict[str, object]:
    result = analyse(read_schedule(path), load_rules(RULES_YAML)).to_json_dict()
    return {key: result[key] for key in KNOWN}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_every_layout_gives_the_known_result(tmp_path: Path, layout: str, kind: str) -> None:
    path = (write_xlsx if kind == "xlsx" else write_csv)(layout, tmp_path / f"schema.{kind}")
    assert _known_part(path) == KNOWN


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (";", "cp1252"),
        (",", "utf-8-sig"),
        ("\t", "utf-16"),  # Excel's "Unicode text": UTF-16 with a byte-order mark
        ("|", "utf-16-le"),  # no byte-order mark
        (";", "utf-8"),
    ],
)
def test_csv_in_any_delimiter_and_encoding(tmp_path: Path, delimiter: str, encoding: str) -> None:
    path = write_csv("date_from_to", tmp_path / "schema.csv", delimiter, encoding)
    assert _known_part(path) == KNOWN


def test_full_date_times_need_no_date_column(tmp_path: Path) -> None:
    path = write_xlsx("datetimes", tmp_path / "lista.xlsx")
    layout = inspect_schedule(path)
    assert (layout.header_row, layout.missing) == (2, [])
    assert layout.mapping == {
        "start": "Start",
        "end": "Slut",
        "break": "Rast",
        "role": "Befattning",
        "section": "Avdelning",
        "name": "Namn",
    }
    night = read_schedule(path).shifts.iloc[3]
    assert (str(night["start"]), str(night["end"]), night["hours"]) == (
        "2026-11-02 21:30:00",
        "2026-11-03 07:00:00",
        9.5,
    )


def test_times_without_dates_and_no_date_column_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "schema.csv"
    path.write_text("Start;Slut;Befattning;Avdelning\n07:00;15:00;USK;A\n", encoding="utf-8")
    with pytest.raises(Exception, match="kolumn för datum saknas, och start- och sluttiderna"):
        read_schedule(path)
