"""Hypothesis profiles for the stateful fuzzing, chosen by ``HYPOTHESIS_PROFILE``:

- ``default`` (unset): a fast, derandomized run (the same examples every time), the whole
  ``tests/fuzz`` directory in under a minute;
- ``ci``: several times more examples and longer runs;
- ``nightly``: an order of magnitude more again, for a scheduled job.

The profiles apply to the state machines in this directory only (their ``TestCase.settings``),
never globally, so other hypothesis tests in the suite keep their own settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
}

PROFILES = {
    # Derandomized: the same examples every run, so the fast profile never flakes.
    "default": settings(
        max_examples=8, stateful_step_count=40, derandomize=True, database=None, **_COMMON
    ),
    "ci": settings(max_examples=60, stateful_step_count=40, **_COMMON),
    "nightly": settings(max_examples=600, stateful_step_count=60, **_COMMON),
}


def fuzz_settings() -> settings:
    """The settings of the profile named by ``HYPOTHESIS_PROFILE`` (``default`` if unset or
    not one of ours)."""
    return PROFILES.get(os.environ.get("HYPOTHESIS_PROFILE", "default"), PROFILES["default"])
