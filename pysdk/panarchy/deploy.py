"""Deployments recorded per chain: an interrupted run resumes, a repeated one deploys nothing.

A deployment is a list of named steps (the implementations: ``Charter``, ``ClauseBook``,
``RoleBook``, ``SolidarityFund``, ``SavingsCircle``, ``Treaty``, ``TreatyFund``; the
``CharterFactory``; then each charter founded through it). Each step is written to the
record file (``deployments/<chain id>.json``) twice: when its transaction is broadcast
(``pending``, with the hash) and when it is mined (``address``, with ``code_hash``: the
keccak of the runtime code it left there). Run again, a step whose recorded code is on
chain is skipped; a pending step waits for its transaction instead of sending a second one;
a pending transaction the node no longer knows is sent again.

A record that does not match its chain (a recorded address without code, or with other code
than the step deployed: the node was reset, or the record belongs elsewhere) is refused by
:meth:`DeploymentRecord.for_chain` with :class:`RecordMismatch`, saying what to do. It is
never deployed over silently: the charters, funds and circles it lists would vanish.
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
from eth_utils import keccak, to_checksum_address
from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.chain import Chain
from panarchy.charter import Charter
from panarchy.charter.types import Parameters
from panarchy.documents import cid_to_bytes32
from panarchy.errors import ConfigurationError

__all__ = [
    "DEFAULT_DIR",
    "IMPLEMENTATIONS",
    "RECORD_FORMAT",
    "DeploymentRecord",
    "RecordMismatch",
    "StepResult",
    "code_hash",
    "deploy_charter",
    "deploy_factory",
    "run_step",
]

#: The implementations behind the factory's minimal proxies, in its constructor's order.
IMPLEMENTATIONS = (
    "Charter",
    "ClauseBook",
    "RoleBook",
    "SolidarityFund",
    "SavingsCircle",
    "Treaty",
    "TreatyFund",
)

#: Where records live by default, relative to the working directory.
DEFAULT_DIR = Path("deployments")

#: The record's format: 2 adds each step's ``code_hash`` (records without one still load).
RECORD_FORMAT = 2


class RecordMismatch(ConfigurationError):
    """Raised when a deployment record does not match the chain: a recorded contract has no
    code there, or other code than its step deployed (a node reset, or another chain's
    record). ``step`` and ``address`` name the first such step."""

    def __init__(self, message: str, *, step: str, address: str) -> None:
        super().__init__(message)
        self.step = step
        self.address = address


def code_hash(chain: Chain, address: str) -> str | None:
    """The keccak of the runtime code at ``address`` (0x-hex), or None where there is none."""
    code = bytes(chain.w3.eth.get_code(to_checksum_address(address)))
    return "0x" + keccak(code).hex() if code else None


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
    def for_chain(
        cls, chain: Chain, directory: Path | str = DEFAULT_DIR, *, check: bool = True
    ) -> DeploymentRecord:
        """The record of ``chain`` in ``directory`` (``<chain id>.json``), checked against it.

        Args:
            chain: The chain.
            directory: Where the records are.
            check: Check every recorded contract's code on chain (:meth:`check`).

        Raises:
            RecordMismatch: When the record does not match the chain.
        """
        record = cls(Path(directory) / f"{chain.chain_id}.json", chain.chain_id)
        if check:
            record.check(chain)
        return record

    def check(self, chain: Chain) -> None:
        """Check that every finished step's contract is on ``chain`` with the code it
        deployed (its ``code_hash``; steps recorded before format 2: that there is code).

        Raises:
            RecordMismatch: For the first step that does not match, saying what to do.
        """
        for name, state in self.data["steps"].items():
            address = state.get("address")
            if address:
                self.check_step(chain, name, address, state.get("code_hash"))

    def check_step(self, chain: Chain, name: str, address: str, recorded: str | None) -> str:
        """Check one step's contract; return the hash of its code on chain.

        Raises:
            RecordMismatch: When there is no code at ``address``, or other code.
        """
        found = code_hash(chain, address)
        if found is None:
            problem = f"{name} at {address} has no code on chain {chain.chain_id}"
        elif recorded is not None and found != recorded:
            problem = (
                f"{name} at {address} runs other code than it deployed "
                f"(code hash {found[:10]}…, recorded {recorded[:10]}…)"
            )
        else:
            return found
        raise RecordMismatch(
            f"the deployment record {self.path} does not match this chain: {problem}. It is "
            "from an earlier chain (was the node reset?), and the charters, funds and circles "
            f"it lists are not here. Move it aside (mv {self.path} {self.path}.old) and deploy "
            "again to start afresh, or pass --deployments DIR with this chain's record",
            step=name,
            address=address,
        )

    def step(self, name: str) -> dict[str, Any]:
        """The recorded state of a step (empty when never started)."""
        return dict(self.data["steps"].get(name, {}))

    def address(self, name: str) -> str | None:
        """The address a finished step deployed, if any."""
        return self.data["steps"].get(name, {}).get("address")

    def save_step(self, name: str, **fields: Any) -> None:
        """Update a step and write the record atomically."""
        self.data["steps"][name] = {**self.data["steps"].get(name, {}), **fields}
        self.data["format"] = RECORD_FORMAT
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
    if address:  # done before: the same code must still be there (else RecordMismatch)
        found = record.check_step(chain, name, address, state.get("code_hash"))
        if state.get("code_hash") is None:  # recorded before format 2: version it now
            record.save_step(name, code_hash=found)
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
    record.save_step(
        name,
        address=address,
        block=receipt["blockNumber"],
        pending=None,
        code_hash=code_hash(chain, address),
    )
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
