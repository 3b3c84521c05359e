"""Suite-wide pytest hooks."""

from __future__ import annotations

from tests.fuzz.profiles import PROFILES, profile_name


def pytest_report_header() -> str:
    """Say which hypothesis profile the fuzzing runs under, so a log shows what was run."""
    name = profile_name()
    chosen = PROFILES[name]
    kind = "derandomized" if chosen.derandomize else "random"
    return (
        f"hypothesis profile: {name} ({chosen.max_examples} examples of "
        f"{chosen.stateful_step_count} steps, {kind}; HYPOTHESIS_PROFILE=default|ci|nightly)"
    )
