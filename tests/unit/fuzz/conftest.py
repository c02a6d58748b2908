"""Hypothesis profiles of the fuzz tests: `ci` (1,000 examples per test; .ci/run selects it
with HYPOTHESIS_PROFILE=ci) and `dev` (the default, a quick run while working)."""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("dev", max_examples=40, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
