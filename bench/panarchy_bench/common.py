"""What both sides of the benchmark share: the node, the people, the target, the book of gas.

Gas is deterministic only if everything that reaches the chain is: the accounts (fixed
keys), the order of transactions, the calldata. So the people are derived from fixed
seeds, the shared target is deployed first by its own account, and each side deploys from
its own account, so that neither side's nonces move the other side's addresses. A run of
our side alone (the CI check) replays exactly the prefix of a full run.

Every figure is a transaction receipt's ``gasUsed``: what the sender pays, including the
21,000 base cost and calldata. A per-ballot figure of a batch is the batch transaction's
``gasUsed`` divided by its ballots; for the reference, which has no batch, it is the mean
``gasUsed`` of separate ``castVoteBySig`` transactions.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from panarchy import dev_accounts
from panarchy.documents import compute_cid
from web3 import Web3

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO = BENCH_DIR.parent

#: The base scenario's community: this many voters, one voice (one token) each.
BASE_VOTERS = 10
#: Member counts of the scaling scenario.
SCALING_SIZES = (10, 100, 1000)
#: Ballots in the batch figure.
BATCH_SIZE = 100
#: Which voter of a proposal is "the later voter" (0-based: the fifth).
LATER_VOTER = 4
#: Which voter relays a signed ballot in the base scenario (0-based: the sixth).
RELAYED_VOTER = 5
#: Seconds in the voting period on both sides.
VOTING_PERIOD_S = 7 * 24 * 3600
#: Every account is given this much ETH before it acts.
FUNDING_WEI = 1_000 * 10**18
#: Fees of setup transactions: high enough for any base fee anvil reaches here.
_MAX_FEE = 100 * 10**9
_SETUP_GAS = 1_000_000


@cache
def person(index: int) -> LocalAccount:
    """The ``index``-th member of every community in the benchmark (a fixed key)."""
    return Account.from_key(keccak(b"panarchy-bench:person:" + index.to_bytes(4, "big")))


def people(start: int, stop: int) -> list[LocalAccount]:
    """Members ``start`` to ``stop - 1``."""
    return [person(i) for i in range(start, stop)]


@dataclass(frozen=True)
class Roles:
    """Who does what, apart from the members: anvil's own funded accounts."""

    ours_deployer: LocalAccount
    reference_deployer: LocalAccount
    relayer: LocalAccount
    target_deployer: LocalAccount

    @classmethod
    def make(cls) -> Roles:
        dev = dev_accounts(4)
        return cls(dev[0], dev[1], dev[2], dev[3])


@dataclass
class Measurement:
    """One operation's figure on one side: gas, or why there is none, and the (last)
    transaction measured, for tracing."""

    gas: int | None
    note: str | None = None
    tx: str | None = None


class Pending(Exception):
    """An operation this side cannot perform yet (the feature is not built)."""


@dataclass
class GasBook:
    """The figures of one side, by operation name, in the order they were measured."""

    side: str
    figures: dict[str, Measurement] = field(default_factory=dict)
    #: The hash of the last transaction the side sent; recorded with the next figure.
    last_tx: str | None = None

    def record(self, name: str, gas: int | None, note: str | None = None) -> None:
        if name in self.figures:
            raise ValueError(f"{self.side}: {name} measured twice")
        self.figures[name] = Measurement(gas, note, self.last_tx if gas is not None else None)

    def pending(self, name: str, note: str) -> None:
        self.record(name, None, note)

    def gas(self, name: str) -> int | None:
        m = self.figures.get(name)
        return None if m is None else m.gas


class Node:
    """A JSON-RPC connection to the benchmark's anvil, with fast paths for setup.

    Measured transactions of our side go through the SDK; everything else (funding,
    mass joins, the reference's transactions) goes through :meth:`send`, which signs
    locally with explicit nonces and talks to anvil directly.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 60}))
        self._funded: set[str] = set()
        self._ids = itertools.count(1)
        self.chain_id = int(self.rpc("eth_chainId", []), 16)

    def rpc(self, method: str, params: list[Any]) -> Any:
        reply = self.session.post(
            self.url,
            json={"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params},
            timeout=60,
        ).json()
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    # --- accounts and time ------------------------------------------------------------

    def fund(self, accounts: Iterable[LocalAccount | str]) -> None:
        """Give each account :data:`FUNDING_WEI` (once)."""
        for account in accounts:
            address = account if isinstance(account, str) else account.address
            if address not in self._funded:
                self.rpc("anvil_setBalance", [address, hex(FUNDING_WEI)])
                self._funded.add(address)

    def timestamp(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def advance(self, seconds: int) -> None:
        """Move the clock forward and mine one block."""
        self.rpc("evm_increaseTime", [seconds])
        self.rpc("evm_mine", [])

    # --- transactions -----------------------------------------------------------------

    def _nonce(self, address: str) -> int:
        # The SDK sends from the same accounts, so ask the node every time we are not
        # inside a burst (cheap) rather than trusting a local counter.
        return int(self.rpc("eth_getTransactionCount", [address, "pending"]), 16)

    def send(
        self,
        sender: LocalAccount,
        to: str | None,
        data: bytes | str,
        *,
        gas: int | None = None,
        value: int = 0,
    ) -> dict[str, Any]:
        """Send one transaction and return its receipt; raise if it failed."""
        (receipt,) = self.send_many([(sender, to, data)], gas=gas, value=value)
        return receipt

    def send_many(
        self,
        txs: Sequence[tuple[LocalAccount, str | None, bytes | str]],
        *,
        gas: int | None = None,
        value: int = 0,
    ) -> list[dict[str, Any]]:
        """Send transactions in this order, then wait for all; raise if any failed.

        Args:
            txs: (sender, to, calldata) triples; ``to`` None deploys.
            gas: A fixed gas limit (default: the node's estimate, plus a margin).
            value: Wei sent with each.
        """
        nonces: dict[str, int] = {}
        hashes = []
        for sender, to, data in txs:
            payload = data if isinstance(data, str) else "0x" + data.hex()
            if sender.address not in nonces:
                nonces[sender.address] = self._nonce(sender.address)
            tx: dict[str, Any] = {
                "chainId": self.chain_id,
                "nonce": nonces[sender.address],
                "maxFeePerGas": _MAX_FEE,
                "maxPriorityFeePerGas": 0,
                "value": value,
                "data": payload,
            }
            if to is not None:
                tx["to"] = to_checksum_address(to)
            if gas is None:
                call = {"from": sender.address, "data": payload, "value": hex(value)}
                if to is not None:
                    call["to"] = tx["to"]
                tx["gas"] = int(int(self.rpc("eth_estimateGas", [call]), 16) * 1.2) + 10_000
            else:
                tx["gas"] = gas
            nonces[sender.address] += 1
            raw = sender.sign_transaction(tx).raw_transaction
            hashes.append(self.rpc("eth_sendRawTransaction", ["0x" + bytes(raw).hex()]))
        return [self.receipt(h) for h in hashes]

    def receipt(self, tx_hash: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            r = self.rpc("eth_getTransactionReceipt", [tx_hash])
            if r is not None:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"no receipt for {tx_hash}")
            time.sleep(0.005)
        receipt = {
            "gasUsed": int(r["gasUsed"], 16),
            "status": int(r["status"], 16),
            "contractAddress": r.get("contractAddress"),
            "blockNumber": int(r["blockNumber"], 16),
            "logs": r["logs"],
            "transactionHash": tx_hash,
        }
        if receipt["status"] != 1:
            raise RuntimeError(f"transaction {tx_hash} reverted")
        return receipt

    def deploy(
        self, sender: LocalAccount, bytecode: str, args_data: bytes = b""
    ) -> tuple[str, int]:
        """Deploy; return the address and the gas used."""
        receipt = self.send(sender, None, bytecode + args_data.hex())
        return to_checksum_address(receipt["contractAddress"]), receipt["gasUsed"]


def document(label: str) -> str:
    """The CID of a small document standing for ``label`` (a concord, a proposal...):
    both sides reference the same documents."""
    return compute_cid(f"panarchy-bench: {label}\n".encode())


def encode_call(contract: Any, fn_name: str, *args: Any) -> str:
    """The calldata (0x-hex) of ``contract.fn_name(*args)``."""
    return str(getattr(contract.functions, fn_name)(*args)._encode_transaction_data())


# --- the shared target ---------------------------------------------------------------


@cache
def target_artifact() -> dict[str, Any]:
    """The benchmark target (``bench/contracts/Target.vy``), compiled with Vyper."""
    import vyper

    source = (BENCH_DIR / "contracts" / "Target.vy").read_text()
    out = vyper.compile_code(source, output_formats=["abi", "bytecode"])
    return {"abi": out["abi"], "bytecode": out["bytecode"]}


@dataclass(frozen=True)
class Shared:
    """What both sides use: the roles and the deployed target."""

    roles: Roles
    target: str
    target_contract: Any

    def ping(self, n: int) -> bytes:
        """The calldata of ``Target.ping(n)``: the action every proposal runs."""
        return bytes.fromhex(encode_call(self.target_contract, "ping", n)[2:])

    def actions(self, count: int, first: int) -> list[tuple[str, int, bytes]]:
        """``count`` actions ``ping(first)``, ``ping(first + 1)``, ..."""
        return [(self.target, 0, self.ping(first + i)) for i in range(count)]


def setup_shared(node: Node) -> Shared:
    """Fund the roles and deploy the target. Runs first in every run, full or CI."""
    roles = Roles.make()
    node.fund([roles.ours_deployer, roles.reference_deployer, roles.relayer, roles.target_deployer])
    art = target_artifact()
    address, _ = node.deploy(roles.target_deployer, art["bytecode"])
    return Shared(roles, address, node.w3.eth.contract(address=address, abi=art["abi"]))
