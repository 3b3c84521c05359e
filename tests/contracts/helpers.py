"""Shared by the contract tests and the stateful fuzzing: deployment, parameters, a thin
governance driver, and the Vyper test helpers of ``tests/contracts/targets/``.

Everything runs on ape's in-process ``test`` provider (py-evm). The deployables come from
``contracts/`` through ape's project (compiled without ape's cache, so a stale ``.build``
never hides a change); the helpers, which ape does not see, are compiled with the Vyper
compiler directly (``contracts/`` on the search path, for the harnesses that import a module)
and wrapped in ape contract containers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ape import chain, project
from ape.contracts import ContractContainer, ContractInstance
from eth_account import Account
from eth_utils import keccak
from ethpm_types import ContractType
from vyper.cli.vyper_compile import compile_files

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
TARGETS = Path(__file__).resolve().parent / "targets"

HOUR = 3600
DAY = 24 * HOUR
VOTING_PERIOD = 7 * DAY
EXECUTION_WINDOW = 7 * DAY
CYCLE = 30 * DAY  # the revision period the tests found charters with

ZERO = "0x0000000000000000000000000000000000000000"
EMPTY32 = b"\x00" * 32

# Proposal states (OpenZeppelin numbering) and stakes levels, as in contracts/modules/proposals.vy.
ACTIVE, CANCELED, DEFEATED, SUCCEEDED, EXPIRED, EXECUTED = 1, 2, 3, 4, 6, 7
CONSENT, MAJORITY, SUPERMAJORITY = 1, 2, 3
AGAINST, FOR, ABSTAIN = 0, 1, 2
OPEN, BY_VOTE, BY_SPONSORSHIP = 0, 1, 2

# Charter parameters, in the order of params.Params.
PARAM_FIELDS = (
    "voting_period",
    "execution_window",
    "quorum_bps",
    "supermajority_num",
    "supermajority_den",
    "consent_max_objections",
    "admission",
)
DEFAULT_PARAMS: dict[str, int] = {
    "voting_period": VOTING_PERIOD,
    "execution_window": EXECUTION_WINDOW,
    "quorum_bps": 2_000,
    "supermajority_num": 2,
    "supermajority_den": 3,
    "consent_max_objections": 0,
    "admission": OPEN,
}
RULE_FIELDS = ("revision_period", "max_term_cycles", "max_renewals", "revision_quota")
DEFAULT_RULES: dict[str, int] = {
    "revision_period": CYCLE,
    "max_term_cycles": 12,
    "max_renewals": 3,
    "revision_quota": 1,
}

#: Every revert reason in a contract source: ``assert ..., "reason"`` or ``raise "reason"``.
REASON_RE = re.compile(r'(?:assert [^#\n]*,\s*|raise\s+)"([^"]+)"')


def params(**overrides: int) -> tuple[int, ...]:
    """The ABI tuple of ``params.Params``: the defaults with ``overrides``."""
    unknown = set(overrides) - set(PARAM_FIELDS)
    assert not unknown, unknown
    merged = {**DEFAULT_PARAMS, **overrides}
    return tuple(merged[f] for f in PARAM_FIELDS)


def rules(**overrides: int) -> tuple[int, ...]:
    """The ABI tuple of ``clauses.Rules``: the defaults with ``overrides``."""
    unknown = set(overrides) - set(RULE_FIELDS)
    assert not unknown, unknown
    merged = {**DEFAULT_RULES, **overrides}
    return tuple(merged[f] for f in RULE_FIELDS)


def doc(label: str) -> bytes:
    """A document digest (a CID's sha2-256 digest stands in as any 32 bytes)."""
    return keccak(text=label)


def role(name: str) -> bytes:
    """A role's name as the role book keeps it: UTF-8, left-aligned in 32 bytes."""
    return name.encode().ljust(32, b"\0")


def reasons_in(path: Path) -> list[str]:
    """The revert reasons written in one contract source."""
    return REASON_RE.findall(path.read_text())


def contract_sources() -> list[Path]:
    """Every Vyper source in ``contracts/`` (deployables, modules), as it is right now."""
    return sorted(CONTRACTS.rglob("*.vy"))


@functools.cache
def deployables() -> dict[str, ContractContainer]:
    """The project's deployable contracts, compiled by ape (bypassing its cache)."""
    return project.load_contracts(use_cache=False)


@functools.cache
def helper(name: str) -> ContractContainer:
    """A test helper from ``tests/contracts/targets/NAME.vy``, compiled with Vyper."""
    source = TARGETS / f"{name}.vy"
    out = compile_files([source], ("abi", "bytecode", "bytecode_runtime"), paths=[CONTRACTS])
    compiled = next(iter(out.values()))
    contract_type = ContractType.model_validate(
        {
            "contractName": name,
            "abi": compiled["abi"],
            "deploymentBytecode": {"bytecode": compiled["bytecode"]},
            "runtimeBytecode": {"bytecode": compiled["bytecode_runtime"]},
        }
    )
    return ContractContainer(contract_type)


def recorded_code_digest(charter: ContractInstance, pid: int) -> bytes:
    """The code-hash digest a proposal recorded (``proposals._code_digest[pid]``), read from
    the charter's storage at the slot the compiler gave it."""
    out = compile_files([CONTRACTS / "Charter.vy"], ("layout",), paths=[CONTRACTS])
    layout = next(iter(out.values()))["layout"]["storage_layout"]
    slot = layout["proposals"]["_code_digest"]["slot"]
    key = keccak(slot.to_bytes(32, "big") + pid.to_bytes(32, "big"))
    return bytes(chain.provider.get_storage(charter.address, int.from_bytes(key, "big")))


def event_args(receipt: Any, name: str) -> list[dict[str, Any]]:
    """The arguments of every event called ``name`` in a receipt, in order."""
    return [dict(e.event_arguments) for e in receipt.events if e.event_name == name]


def event_names(receipt: Any) -> list[str]:
    """The names of a receipt's events, in order."""
    return [e.event_name for e in receipt.events]


def sign_ballot(account: Any, digest: bytes) -> bytes:
    """A 65-byte ECDSA signature (r, s, v) of an EIP-712 digest by a test account."""
    signed = Account.unsafe_sign_hash(bytes(digest), account.private_key)
    return signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])


@dataclass(frozen=True)
class Action:
    """One action of a proposal."""

    target: str
    calldata: bytes = b""
    value: int = 0


def columns(actions: list[Action]) -> tuple[list[str], list[int], list[bytes]]:
    """Targets, values and calldatas, as ``propose`` and ``execute`` take them."""
    return (
        [a.target for a in actions],
        [a.value for a in actions],
        [bytes(a.calldata) for a in actions],
    )


@dataclass
class System:
    """The implementations and the factory, deployed once."""

    charter_impl: ContractInstance
    book_impl: ContractInstance
    role_book_impl: ContractInstance
    fund_impl: ContractInstance
    circle_impl: ContractInstance
    treaty_impl: ContractInstance
    treaty_fund_impl: ContractInstance
    factory: ContractInstance


def deploy_system(deployer: Any) -> System:
    """Deploy the implementations and the factory, as the production deploy code does."""
    c = deployables()
    impls = [
        deployer.deploy(c[name])
        for name in (
            "Charter",
            "ClauseBook",
            "RoleBook",
            "SolidarityFund",
            "SavingsCircle",
            "Treaty",
            "TreatyFund",
        )
    ]
    factory = deployer.deploy(c["CharterFactory"], *impls)
    return System(*impls, factory)


class Polity:
    """A founded charter with its clause book, and a few steps of governance."""

    def __init__(
        self,
        charter: ContractInstance,
        book: ContractInstance,
        founders: list[Any],
        role_book: ContractInstance | None = None,
    ):
        self.charter = charter
        self.book = book
        self.founders = founders
        self.role_book = role_book

    @classmethod
    def found(
        cls,
        system: System,
        founders: list[Any],
        *,
        sender: Any = None,
        name: str = "Test Commons",
        concord: bytes = doc("concord"),
        parameters: tuple[int, ...] | None = None,
        clause_rules: tuple[int, ...] | None = None,
    ) -> Polity:
        sender = sender or founders[0]
        receipt = system.factory.create_charter(
            name,
            concord,
            [f.address for f in founders],
            parameters or params(),
            clause_rules or rules(),
            sender=sender,
        )
        created = event_args(receipt, "CharterCreated")[0]
        c = deployables()
        charter = c["Charter"].at(created["charter"])
        book = c["ClauseBook"].at(created["clause_book"])
        role_book = c["RoleBook"].at(created["role_book"])
        polity = cls(charter, book, founders, role_book)
        polity.found_receipt = receipt
        return polity

    # --- actions -------------------------------------------------------------------

    def call(self, method: str, *args: Any) -> Action:
        """An action calling one of the charter's own functions."""
        return Action(self.charter.address, getattr(self.charter, method).encode_input(*args))

    def book_call(self, method: str, *args: Any) -> Action:
        """An action calling one of the clause book's functions."""
        return Action(self.book.address, getattr(self.book, method).encode_input(*args))

    def roles_call(self, method: str, *args: Any) -> Action:
        """An action calling one of the role book's functions."""
        return Action(self.role_book.address, getattr(self.role_book, method).encode_input(*args))

    # --- governance ----------------------------------------------------------------

    def propose(self, sender: Any, actions: list[Action], description: bytes = doc("why")) -> int:
        """Propose; return the new proposal's id."""
        receipt = self.charter.propose(*columns(actions), description, sender=sender)
        return event_args(receipt, "ProposalCreated")[0]["proposalId"]

    def vote(self, pid: int, voters: list[Any], support: int = FOR) -> None:
        for voter in voters:
            self.charter.cast_vote(pid, support, sender=voter)

    def end_voting(self, pid: int) -> None:
        """Move the clock so that the next transaction runs when voting has just ended."""
        chain.pending_timestamp = max(chain.pending_timestamp, self.charter.proposal(pid).vote_end)

    def execute(self, pid: int, actions: list[Action], sender: Any = None) -> Any:
        return self.charter.execute(pid, *columns(actions), sender=sender or self.founders[0])

    def passed(self, actions: list[Action], voters: list[Any] | None = None) -> int:
        """Propose, have ``voters`` (default: the founders) vote for, end the voting."""
        pid = self.propose(self.founders[0], actions)
        self.vote(pid, voters if voters is not None else self.founders)
        self.end_voting(pid)
        return pid

    def run(self, actions: list[Action], voters: list[Any] | None = None) -> Any:
        """Pass and execute; return the execution receipt."""
        pid = self.passed(actions, voters)
        return self.execute(pid, actions)


def delegate(charter: ContractInstance, delegator: Any, to: Any) -> Any:
    """``charter.delegate(to)`` from ``delegator`` (ape's own ``delegate`` attribute, the
    EIP-7702 delegate of an address, shadows the contract method)."""
    return charter.invoke_transaction("delegate", to, sender=delegator)
