"""Shared pytest configuration: hypothesis profiles sized for a 2-core CI machine.

On CI (the CI environment variable is set) examples are derandomized, so a landing never depends
on luck; elsewhere every run explores new examples. Shrunk failures found that way are kept as
explicit regression examples in the tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "max_examples": 60,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("dev", **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
