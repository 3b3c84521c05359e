"""Hypothesis profiles for the stateful fuzzing, chosen by ``HYPOTHESIS_PROFILE``:

- ``default`` (unset): a fast, derandomized run (the same examples every time), the whole
  ``tests/fuzz`` directory in under a minute;
- ``ci``: several times more examples and longer runs;
- ``nightly``: an order of magnitude more again, for a scheduled job.

The profiles apply to the state machines in this directory only (their ``TestCase.settings``),
never globally, so other hypothesis tests in the suite keep their own settings.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from unittest import mock

from hypothesis import HealthCheck, settings
from hypothesis.internal.conjecture import providers

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


@contextlib.contextmanager
def reproducible() -> Iterator[None]:
    """Make the derandomized default profile draw the same examples whatever ran before.

    Hypothesis mixes into its draws the literals of every local module loaded so far
    (``providers._get_local_constants``), so which tests ran earlier in the session (and so
    which modules they imported) changed the examples of a "derandomized" run, and with them
    which paths it reached. Under the default profile that pool is empty; the ``ci`` and
    ``nightly`` profiles keep it, for variety.
    """
    if os.environ.get("HYPOTHESIS_PROFILE", "default") not in ("default", ""):
        yield
        return
    empty = providers.Constants()
    providers.CONSTANTS_CACHE.cache.clear()  # it holds the pool's values, per kind of draw
    try:
        with mock.patch.object(providers, "_get_local_constants", lambda: empty):
            yield
    finally:
        providers.CONSTANTS_CACHE.cache.clear()
