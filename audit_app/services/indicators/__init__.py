"""Indicators per contract (uppföljningsplanen, seed 004), one module per concern:

- `examples`: the shipped examples (audit_app/shipped/indikatorer.yaml), "utgå från exempel"
- `store`: define, edit and archive indicators; record a period's result (status by the rule)
- `queries`: a contract's indicators with results, the latest per indicator, those not reached
- `excel`: a workbook to fill in and its import, with Swedish cell-level errors
"""

from audit_app.services.indicators.examples import Example, example, examples
from audit_app.services.indicators.excel import (
    import_results,
    parse_results,
    results_workbook,
)
from audit_app.services.indicators.queries import (
    IndicatorCard,
    Latest,
    RegisterRow,
    indicator_register,
    latest_per_indicator,
    list_indicators,
    misses_per_unit,
    not_reached,
)
from audit_app.services.indicators.store import (
    EDIT_INDICATORS,
    RECORD_RESULTS,
    IndicatorInput,
    ResultInput,
    add_from_example,
    archive_indicator,
    check_result,
    get_indicator,
    normalize_period,
    record_result,
    record_results,
    save_indicator,
)

__all__ = [
    "EDIT_INDICATORS",
    "RECORD_RESULTS",
    "Example",
    "IndicatorCard",
    "IndicatorInput",
    "Latest",
    "RegisterRow",
    "ResultInput",
    "add_from_example",
    "archive_indicator",
    "check_result",
    "example",
    "examples",
    "get_indicator",
    "import_results",
    "indicator_register",
    "latest_per_indicator",
    "list_indicators",
    "misses_per_unit",
    "normalize_period",
    "not_reached",
    "parse_results",
    "record_result",
    "record_results",
    "results_workbook",
    "save_indicator",
]
