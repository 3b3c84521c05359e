"""Our side: a charter, driven through the SDK exactly as a community would drive it.

The one-off contracts (the implementations and the ``CharterFactory``) are deployed with
:func:`panarchy.deploy.deploy_factory`, once per chain and shared by every community;
they are reported apart (``deploy_one_off`` and one ``deploy_one_off_<step>`` each). A
polity is then founded with :meth:`panarchy.Charter.found`: minimal proxies created and
initialised with its founders in one transaction; that is ``deploy_polity``.

Every measured operation is one SDK call (``Charter.found``, ``propose``, ``vote``,
``relay``, ``relay_batch``, ``execute``, ``join``, ``leave``, ``delegate``); the gas is
read from the receipt the SDK's own transaction choke point (:meth:`panarchy.Chain.wait`)
saw. Setup that is not measured (growing a polity to 1,000 members) sends the same calls
on a fast path.

Operations the charter does not have yet raise :class:`Pending` with the issue that will
bring them; each is a method of its own, so that building the feature means filling in
that method (and re-running ``bench/run``). Signed ballots, batches and delegation
(issue 4) are measured as soon as the SDK's ``Charter`` has ``relay``, ``relay_batch``
and ``delegate``. The solidarity fund (issue 5) is measured through :class:`panarchy.funds.Fund`:
its creation (``fund_create``), a member's contribution, and a payment by a steward whom a
proposal (not measured) appointed.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from panarchy import Action, Chain, Charter, DeploymentRecord, Parameters, Support, deploy_factory
from panarchy.funds import Fund, FundLimits
from web3.types import TxReceipt

from panarchy_bench.common import GasBook, Node, Pending, Shared, document, encode_call, people
from panarchy_bench.scenario import Side

#: The fund's cap per contributor per period, and its steward's limit, in wei.
_FUND_CAP = 10**17
#: Votes that pass a proposal in the base scenario (as ``scenario._PASSING_VOTES``).
_PASSING_VOTES = 3

#: How long the clause of the base scenario is enacted and renewed for, in cycles.
_CLAUSE_TERM = 2


class RecordingChain(Chain):
    """The SDK's :class:`~panarchy.Chain`, keeping every receipt it waited for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.receipts: list[TxReceipt] = []

    def wait(self, tx_hash: str) -> TxReceipt:
        receipt = super().wait(tx_hash)
        self.receipts.append(receipt)
        return receipt


class Ours(Side):
    """The charter side."""

    name = "ours"

    def __init__(self, node: Node, shared: Shared, book: GasBook) -> None:
        super().__init__(shared, book)
        self.node = node
        self.chain = RecordingChain.connect(node.url)
        roles = shared.roles
        self.deployer = roles.ours_deployer
        self.executor = roles.relayer
        self._funds: dict[str, Fund] = {}
        with tempfile.TemporaryDirectory() as tmp:
            record = DeploymentRecord.for_chain(self.chain, Path(tmp))
            before = len(self.chain.receipts)
            steps = deploy_factory(self.chain, self.deployer, record)
            gas = [int(r["gasUsed"]) for r in self.chain.receipts[before:]]
        if len(gas) != len(steps):
            raise RuntimeError(f"{len(steps)} deployment steps sent {len(gas)} transactions")
        self.factory = steps[-1].address
        # What every community shares: implementations and the factory, deployed once.
        book.record("deploy_one_off", sum(gas), " + ".join(s.name for s in steps))
        for step, g in zip(steps, gas, strict=True):
            book.record(f"deploy_one_off_{step.name}", g, "one-off, shared by every charter")

    def _measured(self, call: Any, transactions: int = 1) -> tuple[Any, Any]:
        """Run an SDK call; return the gas of the transactions it sent, and its result."""
        before = len(self.chain.receipts)
        result = call()
        sent = self.chain.receipts[before:]
        if len(sent) != transactions:
            raise RuntimeError(f"expected {transactions} transaction(s), the SDK sent {len(sent)}")
        gas = [int(r["gasUsed"]) for r in sent]
        self.book.last_tx = "0x" + bytes(sent[-1]["transactionHash"]).hex()
        return (gas[0] if transactions == 1 else gas), result

    # --- a polity and its members -----------------------------------------------------

    def found(
        self, founders: list[LocalAccount], *, label: str, scaling: bool
    ) -> tuple[Charter, int]:
        self.node.fund(founders)
        gas, charter = self._measured(
            lambda: Charter.found(
                self.chain,
                self.deployer,
                factory=self.factory,
                name=label,
                concord_cid=document(f"{label} concord"),
                founders=[f.address for f in founders],
                parameters=Parameters(),
            )
        )
        return charter, gas

    def onboard(self, polity: Charter, members: list[LocalAccount]) -> None:
        """Founders are members from the founding transaction on: nothing to do."""

    def add_members(self, polity: Charter, newcomers: list[LocalAccount]) -> None:
        self.node.fund(newcomers)
        data = encode_call(polity.contract, "join")
        self.node.send_many([(p, polity.address, data) for p in newcomers], gas=300_000)

    # --- proposals and votes ----------------------------------------------------------

    def propose(
        self,
        polity: Charter,
        proposer: LocalAccount,
        actions: list[tuple[str, int, bytes]],
        label: str,
    ) -> tuple[int, int]:
        wrapped = [Action(target=t, value=v, calldata=c) for t, v, c in actions]
        gas, proposal = self._measured(
            lambda: polity.propose(proposer, wrapped, document(f"proposal {label}"))
        )
        return proposal.id, gas

    def open_voting(self, polity: Charter) -> None:
        """Members who joined before the proposal's block vote at once."""

    def cast_vote(self, polity: Charter, voter: LocalAccount, proposal: int) -> int:
        gas, _ = self._measured(lambda: polity.vote(voter, proposal, Support.FOR))
        return int(gas)

    def relayed_ballot(self, polity: Charter, voter: LocalAccount, proposal: int) -> int:
        if not hasattr(polity, "relay"):
            raise Pending("pending issue 4 (signed ballots)")
        ballot = polity.sign_ballot(voter, proposal, Support.FOR)
        gas, _ = self._measured(lambda: polity.relay(self.executor, ballot))
        return int(gas)

    def relayed_batch(self, polity: Charter, voters: list[LocalAccount], proposal: int) -> int:
        if not hasattr(polity, "relay_batch"):
            raise Pending("pending issue 4 (batches of signed ballots)")
        ballots = [polity.sign_ballot(v, proposal, Support.FOR) for v in voters]
        gas, result = self._measured(lambda: polity.relay_batch(self.executor, ballots))
        if len(result.counted) != len(voters):
            raise RuntimeError(f"the batch counted {len(result.counted)} of {len(voters)} ballots")
        return round(int(gas) / len(voters))

    def close_voting(self, polity: Charter) -> None:
        self.node.advance(int(polity.parameters.voting_period.total_seconds()) + 1)

    def execute(self, polity: Charter, proposal: int) -> int:
        gas, _ = self._measured(lambda: polity.execute(self.executor, proposal))
        return int(gas)

    # --- what only the charter does ---------------------------------------------------

    def enact_clause_actions(self, polity: Charter) -> list[tuple[str, int, bytes]]:
        a = polity.actions.enact_clause(document("clause"), _CLAUSE_TERM)
        return [(a.target, a.value, a.calldata)]

    def renew_clause_actions(self, polity: Charter) -> list[tuple[str, int, bytes]]:
        # The clause the previous proposal enacts is the charter's first.
        a = polity.actions.renew_clause(1, _CLAUSE_TERM)
        return [(a.target, a.value, a.calldata)]

    def join(self, polity: Charter, newcomer: LocalAccount) -> int:
        self.node.fund([newcomer])
        gas, _ = self._measured(lambda: polity.join(newcomer))
        return int(gas)

    def leave(self, polity: Charter, member: LocalAccount) -> int:
        gas, _ = self._measured(lambda: polity.leave(member))
        return int(gas)

    def delegate(self, polity: Charter, member: LocalAccount, to: LocalAccount) -> int:
        if not hasattr(polity, "delegate"):
            raise Pending("pending issue 4 (delegation)")
        gas, _ = self._measured(lambda: polity.delegate(member, to.address))
        return int(gas)

    # --- the solidarity fund ----------------------------------------------------------

    def _fund_of(self, polity: Charter) -> Fund:
        """The polity's fund, created (and its creation recorded) the first time."""
        if polity.address not in self._funds:
            before = len(self.chain.receipts)
            fund = Fund.create(
                self.chain,
                people(0, 1)[0],
                factory=self.factory,
                charter=polity,
                limits=FundLimits(contribution_cap=_FUND_CAP),  # the steward's: by proposal
            )
            (receipt,) = self.chain.receipts[before:]
            self.book.last_tx = "0x" + bytes(receipt["transactionHash"]).hex()
            self.book.record(
                "fund_create", int(receipt["gasUsed"]), "ours alone: a fund for a charter"
            )
            self._funds[polity.address] = fund
        return self._funds[polity.address]

    def fund_contribute(self, polity: Charter, member: LocalAccount) -> int:
        """A member's first contribution of the period (ETH, with a memo)."""
        fund = self._fund_of(polity)
        gas, _ = self._measured(
            lambda: fund.contribute(member, _FUND_CAP // 2, document("a contribution"))
        )
        return int(gas)

    def fund_disburse(self, polity: Charter, steward: LocalAccount, to: LocalAccount) -> int:
        """The steward (appointed by a proposal first, not measured) pays a member."""
        fund = self._fund_of(polity)
        actions = [
            polity.actions.define_role("steward", timedelta(days=30), 2),
            polity.actions.appoint("steward", steward.address),
            fund.actions.set_limits(
                FundLimits(contribution_cap=_FUND_CAP, steward_limit=_FUND_CAP)
            ),
        ]
        proposal = polity.propose(steward, actions, document("a steward"))
        for voter in people(0, _PASSING_VOTES):
            polity.vote(voter, proposal.id, Support.FOR)
        self.close_voting(polity)
        polity.execute(self.executor, proposal.id)
        gas, _ = self._measured(
            lambda: fund.disburse(steward, to.address, _FUND_CAP // 4, document("a payment"))
        )
        return int(gas)
