"""Crash points: a testing hook that kills the process (SIGKILL) at named moments.

The kill -9 tests set ``PANARCHY_RELAY_CRASH`` to ``"0.1"`` (every point, with that
probability) or ``"settle:after_commit=0.5,accept:before_commit=0.2"`` (named points), and
``PANARCHY_RELAY_CRASH_SEED`` for a reproducible run. Unset (always, outside tests), a crash
point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import random
import signal

#: Every crash point, in the order a ballot meets them.
POINTS = (
    "accept:before_commit",  # validated, not yet persisted: the client gets no answer
    "accept:after_commit",  # persisted, not yet answered: the client retries, a duplicate
    "settle:after_commit",  # signed and persisted, not yet broadcast
    "settle:after_broadcast",  # broadcast, nothing learned yet
    "receipt:before_commit",  # the receipt read, its outcome not yet persisted
    "confirm:before_commit",  # confirmations reached, not yet persisted
)


def _parse(text: str) -> dict[str, float]:
    text = text.strip()
    if not text:
        return {}
    if "=" not in text:
        return dict.fromkeys(POINTS, float(text))
    points: dict[str, float] = {}
    for part in text.split(","):
        name, _, p = part.partition("=")
        points[name.strip()] = float(p)
    return points


_POINTS = _parse(os.environ.get("PANARCHY_RELAY_CRASH", ""))
_RNG = random.Random(os.environ.get("PANARCHY_RELAY_CRASH_SEED"))


def crashpoint(name: str) -> None:
    """Die here, abruptly, with the configured probability (testing only)."""
    p = _POINTS.get(name)
    if p and _RNG.random() < p:
        os.write(2, f"crashpoint {name}\n".encode())  # unbuffered: the test counts them
        os.kill(os.getpid(), signal.SIGKILL)
