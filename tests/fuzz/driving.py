"""What the state machines share: sending a transaction whose outcome the model predicted."""

from __future__ import annotations

import collections
from typing import Any

import ape


class Predicted:
    """A mixin for machines that count outcomes in ``stats`` and cache the head in ``_head``."""

    stats: collections.Counter
    _head: int | None

    def attempt(self, label: str, reason: str | None, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Send a transaction the model expects to succeed (``reason`` None) or to revert
        with exactly ``reason``; count the outcome as ``label:reason`` (or ``label:ok``)."""
        self.stats[f"{label}:{reason or 'ok'}"] += 1
        try:
            if reason is None:
                receipt = fn(*args, **kwargs)
                assert not receipt.failed
                return receipt
            with ape.reverts(reason):
                fn(*args, **kwargs)
            return None
        finally:
            self._head = None
