"""The shipped example indicators (audit_app/shipped/indikatorer.yaml, from seed 004): starting
points for a contract's own indicators, never results of their own."""

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from audit_app.models import IndicatorDirection, IndicatorKind, UnitKind

EXAMPLES_FILE = Path(__file__).resolve().parent.parent.parent / "shipped" / "indikatorer.yaml"


class IndicatorFields(BaseModel):
    """What defines an indicator: as shipped in the examples, and as people enter it
    (`store.IndicatorInput`)."""

    name: str
    risk: str = ""
    definition: str = ""
    method: str = ""
    responsible: str = ""
    occasion: str = ""
    kind: IndicatorKind = IndicatorKind.tal
    unit: str = ""
    target: float | None = None
    direction: IndicatorDirection = IndicatorDirection.hogre
    tolerance: float = 0.0
    applies_to: list[UnitKind] = Field(default_factory=list)  # empty: every unit


class Example(IndicatorFields):
    """One example indicator as shipped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str

    def fits(self, kinds: set[UnitKind]) -> bool:
        """Whether the example suits a contract with units of these kinds."""
        return not self.applies_to or not kinds or bool(kinds & set(self.applies_to))


@cache
def examples() -> tuple[Example, ...]:
    """Every shipped example, in the file's order."""
    raw = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8")) or []
    return tuple(Example.model_validate(item) for item in raw)


def example(key: str) -> Example | None:
    return next((e for e in examples() if e.key == key), None)
