"""The reference side: OpenZeppelin Governor 5.x over an ERC20Votes token, via web3.py.

The contracts are ``bench/reference/*.sol``, compiled by ``bench/compile_reference.mjs``
(solc-js, optimizer on, 200 runs, cancun) into ``bench/.build/reference.json``. A polity
is the token (one whole token minted to each member) plus the governor;
``deploy_polity`` is the gas of both deployments. Members self-delegate before they can
vote (one transaction each, reported as ``self_delegate``).

A relayed signed ballot is ``castVoteBySig``: the voter signs OpenZeppelin's EIP-712
``Ballot(proposalId, support, voter, nonce)`` with eth-account; another account sends it.
The governor has no batch, so the batch figure is the mean gas of separate
``castVoteBySig`` transactions, one per ballot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from panarchy_bench.common import BENCH_DIR, GasBook, Node, Shared, document, encode_call
from panarchy_bench.scenario import NoCounterpart, Side

BUILD = BENCH_DIR / ".build" / "reference.json"
#: One token per member; a proposer must hold one (a member), as on our side.
ONE_TOKEN = 10**18
_FOR = 1
#: The governor's voting delay and period, in seconds (see RefGovernor.sol).
_VOTING_DELAY_S = 1
_VOTING_PERIOD_S = 7 * 24 * 3600
_MINT_CHUNK = 200


def load_build(path: Path = BUILD) -> dict[str, Any]:
    """The compiled reference contracts (run ``bench/compile_reference.mjs`` first)."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run bench/run (it compiles the reference)")
    return json.loads(path.read_text())


@dataclass
class Polity:
    """A token and its governor."""

    token: Any
    governor: Any
    descriptions: dict[int, tuple[list[tuple[str, int, bytes]], str]] = field(default_factory=dict)


class Reference(Side):
    """The OpenZeppelin side."""

    name = "reference"

    def __init__(self, node: Node, shared: Shared, book: GasBook, build: dict[str, Any]) -> None:
        super().__init__(shared, book)
        self.node = node
        self.build = build
        self.deployer = shared.roles.reference_deployer
        self.relayer = shared.roles.relayer

    def _contract(self, name: str, address: str | None = None) -> Any:
        abi = self.build["contracts"][name]["abi"]
        return self.node.w3.eth.contract(address=address, abi=abi)

    def _deploy(self, name: str, types: list[str], args: list[Any]) -> tuple[Any, int]:
        bytecode = self.build["contracts"][name]["bytecode"]
        receipt = self.node.send(self.deployer, None, bytecode + encode(types, args).hex())
        self.book.last_tx = receipt["transactionHash"]
        address = to_checksum_address(receipt["contractAddress"])
        return self._contract(name, address), int(receipt["gasUsed"])

    def _send(self, sender: LocalAccount, contract: Any, fn: str, *args: Any) -> int:
        receipt = self.node.send(sender, contract.address, encode_call(contract, fn, *args))
        self.book.last_tx = receipt["transactionHash"]
        return int(receipt["gasUsed"])

    # --- a polity and its members -----------------------------------------------------

    def found(
        self, founders: list[LocalAccount], *, label: str, scaling: bool
    ) -> tuple[Polity, int]:
        self.node.fund(founders)
        holders = [f.address for f in founders]
        token_name = "RefTokenMintable" if scaling else "RefToken"
        token, token_gas = self._deploy(token_name, ["address[]"], [holders])
        governor, governor_gas = self.deploy_governor(token.address, ONE_TOKEN)
        if not scaling:
            self.book.record("deploy_token", token_gas, "with one token minted to each member")
            self.book.record("deploy_governor", governor_gas)
        return Polity(token, governor), token_gas + governor_gas

    def deploy_governor(self, token: str, threshold: int) -> tuple[Any, int]:
        """A RefGovernor over ``token`` with a proposal threshold of ``threshold``."""
        return self._deploy("RefGovernor", ["address", "uint256"], [token, threshold])

    def onboard(self, polity: Polity, members: list[LocalAccount]) -> None:
        """Each member delegates to themselves, or their tokens are no votes."""
        gas = self._self_delegate(polity, members)
        if "self_delegate" not in self.book.figures:
            self.book.record("self_delegate", gas[0], "each member, once, before voting")

    def _self_delegate(self, polity: Polity, members: list[LocalAccount]) -> list[int]:
        txs = [
            (m, polity.token.address, encode_call(polity.token, "delegate", m.address))
            for m in members
        ]
        receipts = self.node.send_many(txs, gas=300_000)
        # A proposer's votes count from the second after their delegation.
        self.node.advance(1)
        return [int(r["gasUsed"]) for r in receipts]

    def add_members(self, polity: Polity, newcomers: list[LocalAccount]) -> None:
        self.node.fund(newcomers)
        addresses = [p.address for p in newcomers]
        for start in range(0, len(addresses), _MINT_CHUNK):
            chunk = addresses[start : start + _MINT_CHUNK]
            self._send(self.deployer, polity.token, "mintBatch", chunk)
        self._self_delegate(polity, newcomers)

    # --- proposals and votes ----------------------------------------------------------

    def propose(
        self,
        polity: Polity,
        proposer: LocalAccount,
        actions: list[tuple[str, int, bytes]],
        label: str,
    ) -> tuple[int, int]:
        # The same document our side proposes with; OpenZeppelin takes it as a string.
        description = document(f"proposal {label}")
        targets, values, calldatas = (list(x) for x in zip(*actions, strict=True))
        gas = self._send(
            proposer, polity.governor, "propose", targets, values, calldatas, description
        )
        proposal_id = polity.governor.functions.getProposalId(
            targets, values, calldatas, keccak(text=description)
        ).call()
        polity.descriptions[proposal_id] = (actions, description)
        return proposal_id, gas

    def open_voting(self, polity: Polity) -> None:
        """Voting opens one second (the voting delay) after the proposal's second."""
        self.node.advance(_VOTING_DELAY_S + 1)

    def cast_vote(self, polity: Polity, voter: LocalAccount, proposal: int) -> int:
        return self._send(voter, polity.governor, "castVote", proposal, _FOR)

    def _ballot(self, polity: Polity, voter: LocalAccount, proposal: int, nonce: int) -> bytes:
        """``voter``'s EIP-712 signature of a FOR ballot, as OpenZeppelin verifies it."""
        governor = polity.governor
        message = {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Ballot": [
                    {"name": "proposalId", "type": "uint256"},
                    {"name": "support", "type": "uint8"},
                    {"name": "voter", "type": "address"},
                    {"name": "nonce", "type": "uint256"},
                ],
            },
            "primaryType": "Ballot",
            "domain": {
                "name": "Reference Governor",
                "version": "1",
                "chainId": self.node.chain_id,
                "verifyingContract": governor.address,
            },
            "message": {
                "proposalId": proposal,
                "support": _FOR,
                "voter": voter.address,
                "nonce": nonce,
            },
        }
        return bytes(voter.sign_typed_data(full_message=message).signature)

    def _relay_args(self, polity: Polity, voter: LocalAccount, proposal: int) -> str:
        nonce = polity.governor.functions.nonces(voter.address).call()
        signature = self._ballot(polity, voter, proposal, nonce)
        return encode_call(
            polity.governor, "castVoteBySig", proposal, _FOR, voter.address, signature
        )

    def relayed_ballot(self, polity: Polity, voter: LocalAccount, proposal: int) -> int:
        data = self._relay_args(polity, voter, proposal)
        receipt = self.node.send(self.relayer, polity.governor.address, data)
        self.book.last_tx = receipt["transactionHash"]
        return int(receipt["gasUsed"])

    def relayed_batch(self, polity: Polity, voters: list[LocalAccount], proposal: int) -> int:
        """No batch in OpenZeppelin's Governor: one castVoteBySig per ballot; the mean."""
        txs = [
            (self.relayer, polity.governor.address, self._relay_args(polity, v, proposal))
            for v in voters
        ]
        receipts = self.node.send_many(txs, gas=500_000)
        self.book.last_tx = receipts[-1]["transactionHash"]
        total = sum(int(r["gasUsed"]) for r in receipts)
        return round(total / len(receipts))

    def close_voting(self, polity: Polity) -> None:
        self.node.advance(_VOTING_PERIOD_S + 10)

    def execute(self, polity: Polity, proposal: int) -> int:
        actions, description = polity.descriptions[proposal]
        targets, values, calldatas = (list(x) for x in zip(*actions, strict=True))
        return self._send(
            self.relayer,
            polity.governor,
            "execute",
            targets,
            values,
            calldatas,
            keccak(text=description),
        )

    # --- what only the charter does ---------------------------------------------------

    def enact_clause_actions(self, polity: Polity) -> list[tuple[str, int, bytes]]:
        raise NoCounterpart("no counterpart: OpenZeppelin's Governor has no clauses")

    def renew_clause_actions(self, polity: Polity) -> list[tuple[str, int, bytes]]:
        raise NoCounterpart("no counterpart: OpenZeppelin's Governor has no clauses")

    def join(self, polity: Polity, newcomer: LocalAccount) -> int:
        raise NoCounterpart("no counterpart: a token holder is not a member")

    def leave(self, polity: Polity, member: LocalAccount) -> int:
        raise NoCounterpart("no counterpart: a token holder is not a member")

    def delegate(self, polity: Polity, member: LocalAccount, to: LocalAccount) -> int:
        """A self-delegated holder delegates to another holder (ERC20Votes.delegate)."""
        return self._send(member, polity.token, "delegate", to.address)

    def fund_contribute(self, polity: Polity, member: LocalAccount) -> int:
        raise NoCounterpart("no counterpart in the reference")

    def fund_disburse(self, polity: Polity, steward: LocalAccount, to: LocalAccount) -> int:
        raise NoCounterpart("no counterpart in the reference")


def measure_no_threshold(side: Reference, polity: Polity, proposer: LocalAccount) -> None:
    """A variant: the same one-action proposal to a governor with no proposal threshold
    (anyone may propose; OpenZeppelin skips the proposer's vote lookup)."""
    governor, _ = side.deploy_governor(polity.token.address, 0)
    variant = Polity(polity.token, governor)
    _, gas = side.propose(variant, proposer, side.shared.actions(1, 2), "one action")
    side.book.record("propose_no_threshold", gas, "variant: proposal threshold 0")
