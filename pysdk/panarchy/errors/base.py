"""The roots: what every error of the SDK derives from, and the errors that are not a
contract's revert (settings, the node, a failed transaction)."""

from __future__ import annotations


class PanarchyError(Exception):
    """Root of every error the SDK raises on purpose."""


class UpgradeableTargetWarning(UserWarning):
    """A proposal's target can change what it runs after the vote (an upgradeable proxy,
    or code that delegates): see :mod:`panarchy.charter.targets`."""


class ConfigurationError(PanarchyError, ValueError):
    """Raised when a setting, a network, an account or a deployment record is missing or bad."""


class ChainUnavailable(PanarchyError, ConnectionError):
    """Raised when the JSON-RPC node cannot be reached or stops answering."""


class TransactionFailed(PanarchyError):
    """Raised when a transaction fails for a reason that is not a contract revert
    (out of gas, rejected by the node, dropped)."""


class ContractReverted(PanarchyError):
    """Raised for a revert whose reason the SDK does not know; ``reason`` holds it."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason


__all__ = [
    "PanarchyError",
    "UpgradeableTargetWarning",
    "ConfigurationError",
    "ChainUnavailable",
    "TransactionFailed",
    "ContractReverted",
]
