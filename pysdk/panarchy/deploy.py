"""Deployments recorded per chain: an interrupted run resumes, a repeated one deploys nothing.

A deployment is a list of named steps (the implementations: ``Charter``, ``ClauseBook``,
``RoleBook``, ``SolidarityFund``, ``SavingsCircle``; the ``CharterFactory``; then each charter
founded through it). Each step is written to the
record file (``deployments/<chain id>.json``) twice: when its transaction is broadcast
(``pending``, with the hash) and when it is mined (``address``). Run again, a step with an
address whose code is on chain is skipped; a pending step waits for its transaction
instead of sending a second one; a pending transaction the node no longer knows is sent
again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.chain import Chain
from panarchy.charter import Charter
from panarchy.documents import cid_to_bytes32
from panarchy.errors import ConfigurationError
from panarchy.types import Parameters

#: The implementations behind the factory's minimal proxies, in its constructor's order.
IMPLEMENTATIONS = ("Charter", "ClauseBook", "RoleBook", "SolidarityFund", "SavingsCircle")

#: Where records live by default, relative to the working directory.
DEFAULT_DIR = Path("deployments")


class DeploymentRecord:
    """The record of what was deployed on one chain, kept in a JSON file.

    Writes are atomic (temporary file, fsync, rename), so an interrupted write never
    leaves a broken record.
    """

    def __init__(self, path: Path, chain_id: int) -> None:
        self.path = path
        self.chain_id = chain_id
        self.data: dict[str, Any] = {"chain_id": chain_id, "steps": {}}
        if path.exists():
            try:
                self.data = json.loads(path.read_text())
            except json.JSONDecodeError as exc:
                raise ConfigurationError(
                    f"the deployment record {path} is not valid JSON ({exc}); "
                    "fix it or move it away"
                ) from exc
            if self.data.get("chain_id") != chain_id:
                raise ConfigurationError(
                    f"{path} records chain {self.data.get('chain_id')}, "
                    f"but the node is chain {chain_id}"
                )

    @classmethod
    def for_chain(cls, chain: Chain, directory: Path | str = DEFAULT_DIR) -> DeploymentRecord:
        """The record of ``chain`` in ``directory`` (``<chain id>.json``)."""
        return cls(Path(directory) / f"{chain.chain_id}.json", chain.chain_id)

    def step(self, name: str) -> dict[str, Any]:
        """The recorded state of a step (empty when never started)."""
        return dict(self.data["steps"].get(name, {}))

    def address(self, name: str) -> str | None:
        """The address a finished step deployed, if any."""
        return self.data["steps"].get(name, {}).get("address")

    def save_step(self, name: str, **fields: Any) -> None:
        """Update a step and write the record atomically."""
        self.data["steps"][name] = {**self.data["steps"].get(name, {}), **fields}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        with os.fdopen(fd, "w") as f:
            json.dump(self.data, f, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


@dataclass(frozen=True)
class StepResult:
    """What a step did: ``"deployed"``, ``"resumed"`` (waited for a pending transaction)
    or ``"skipped"`` (already done)."""

    name: str
    address: ChecksumAddress  # web3 accepts only checksummed addresses (the record's too)
    outcome: str
    block: int | None


def run_step(
    chain: Chain,
    signer: LocalAccount,
    record: DeploymentRecord,
    name: str,
    build: Callable[[], Any],
    address_of: Callable[[Any], str],
) -> StepResult:
    """Run one deployment step idempotently.

    Args:
        chain: The chain.
        signer: Who pays.
        record: The deployment record.
        name: The step's name.
        build: Returns the bound contract function or constructor to send.
        address_of: Reads the deployed address from the receipt.
    """
    state = record.step(name)
    address = state.get("address")
    if address and chain.w3.eth.get_code(address):
        return StepResult(name, address, "skipped", state.get("block"))
    outcome = "deployed"
    tx_hash = state.get("pending")
    if tx_hash:
        try:
            chain.w3.eth.get_transaction(tx_hash)
            outcome = "resumed"
        except TransactionNotFound:
            tx_hash = None  # dropped or from a chain that was reset: send again
    if not tx_hash:
        tx_hash = chain.send(signer, build())
        record.save_step(name, pending=tx_hash)
    receipt = chain.wait(tx_hash)
    address = to_checksum_address(address_of(receipt))
    record.save_step(name, address=address, block=receipt["blockNumber"], pending=None)
    return StepResult(name, address, outcome, receipt["blockNumber"])


def deploy_factory(
    chain: Chain, signer: LocalAccount, record: DeploymentRecord
) -> list[StepResult]:
    """Deploy (or find) the implementations and the CharterFactory over them."""
    w3 = chain.w3

    def constructor(name: str, *args: Any) -> Callable[[], Any]:
        art = artifacts.load(name)
        return lambda: w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"]).constructor(*args)

    def created(receipt: Any) -> str:
        return str(receipt["contractAddress"])

    impls = [
        run_step(chain, signer, record, name, constructor(name), created)
        for name in IMPLEMENTATIONS
    ]
    factory = run_step(
        chain,
        signer,
        record,
        "CharterFactory",
        constructor("CharterFactory", *(step.address for step in impls)),
        created,
    )
    return [*impls, factory]


def deploy_charter(
    chain: Chain,
    signer: LocalAccount,
    record: DeploymentRecord,
    *,
    name: str,
    concord_cid: str,
    founders: list[str],
    parameters: Parameters | None = None,
) -> tuple[Charter, list[StepResult]]:
    """Deploy the factory if needed, then found the charter ``name`` once.

    Returns:
        The charter and what each step did.
    """
    steps = deploy_factory(chain, signer, record)
    factory_address = steps[-1].address
    factory = chain.w3.eth.contract(
        address=factory_address, abi=artifacts.load("CharterFactory")["abi"]
    )
    params = parameters or Parameters()

    def build() -> Any:
        # Validate exactly as Charter.found does, before anything is broadcast.
        params.validate()
        return factory.functions.create_charter(
            name,
            cid_to_bytes32(concord_cid),
            [to_checksum_address(f) for f in founders],
            params.to_chain(),
            params.rules_to_chain(),
        )

    def address_of(receipt: Any) -> str:
        (event,) = factory.events.CharterCreated().process_receipt(receipt, errors=DISCARD)
        return str(event["args"]["charter"])

    step = run_step(chain, signer, record, f"charter:{name}", build, address_of)
    steps.append(step)
    return Charter(chain, step.address, from_block=step.block or 0), steps
