"""Hypothesis profiles for the stateful fuzzing, chosen by ``HYPOTHESIS_PROFILE``:

- ``default`` (unset, e.g. a bare ``pytest``): a fast, derandomized run (the same examples
  every time);
- ``ci`` (what ``./dev test``, and so ``.ci/run``, sets unless told otherwise): half as many
  examples again, still derandomized, so a red CI is a real finding and never a flake; sized
  to keep the whole ``./dev test`` well under 15 minutes on two cores;
- ``nightly``: random (a new seed and hypothesis's pool of constants each run) and an order
  of magnitude more examples, for a scheduled job; a failure prints the blob to replay it.

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
    "ci": settings(
        max_examples=12, stateful_step_count=40, derandomize=True, database=None, **_COMMON
    ),
    "nightly": settings(max_examples=600, stateful_step_count=60, **_COMMON),
}


def profile_name() -> str:
    """The profile in use: ``HYPOTHESIS_PROFILE`` if it names one of ours, else ``default``."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "default")
    return name if name in PROFILES else "default"


def fuzz_settings() -> settings:
    """The settings of the profile in use (see ``profile_name``)."""
    return PROFILES[profile_name()]


@contextlib.contextmanager
def reproducible() -> Iterator[None]:
    """Make a derandomized profile (``default``, ``ci``) draw the same examples whatever ran
    before.

    Hypothesis mixes into its draws the literals of every local module loaded so far
    (``providers._get_local_constants``), so which tests ran earlier in the session (and so
    which modules they imported, which differs between one process and two xdist workers)
    changed the examples of a "derandomized" run, and with them which paths it reached.
    Under a derandomized profile that pool is empty; ``nightly`` keeps it, for variety.
    """
    if not fuzz_settings().derandomize:
        yield
        return
    empty = providers.Constants()
    providers.CONSTANTS_CACHE.cache.clear()  # it holds the pool's values, per kind of draw
    try:
        with mock.patch.object(providers, "_get_local_constants", lambda: empty):
            yield
    finally:
        providers.CONSTANTS_CACHE.cache.clear()
