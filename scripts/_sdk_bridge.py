"""Helpers for the ape scripts: hand ape's provider and account to the Panarchy SDK."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ape import networks
from panarchy import Chain


class ApeSigner:
    """Signs the SDK's transactions with an ape account (keystore, hardware, test).

    The SDK signs with anything that has ``address`` and ``sign_transaction(dict)``
    returning an object with ``raw_transaction``; this adapts an ape account to that.
    """

    def __init__(self, account: Any) -> None:
        self.account = account
        self.address = str(account.address)

    def sign_transaction(self, tx: dict[str, Any]) -> SimpleNamespace:
        fields = {k: v for k, v in tx.items() if k != "from"}
        if not fields.get("to"):  # a deployment: web3 says b"", ape would read address zero
            fields.pop("to", None)
        fields["sender"] = self.address
        txn = networks.provider.network.ecosystem.create_transaction(**fields)
        signed = self.account.sign_transaction(txn)
        if signed is None:
            raise RuntimeError("the account declined to sign")
        return SimpleNamespace(raw_transaction=signed.serialize_transaction())


def sdk_chain() -> Chain:
    """The SDK's view of the network ape is connected to."""
    return Chain(networks.provider.web3)


def is_public(chain: Chain) -> bool:
    """Whether broadcasting here spends real (test) ETH: not a local development node."""
    return networks.provider.network.name not in ("local",) and not chain.is_dev_by_id
