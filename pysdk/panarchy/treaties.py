"""Treaties between charters: limited agreements that lapse unless every party renews them.

A treaty (``contracts/Treaty.vy``, docs/TREATIES.md) binds charters only through their own
governance: creating, ratifying, renewing, withdrawing, amending, raising distress and
approving draws are calls the party charter itself makes by executing one of its own
proposals. The ``*_action`` builders below make those proposal actions, each in the shared
describer's words; :meth:`Treaty.check` asks the treaty whether it would take one from a
given party now. Reads go to the contract's own views (its state, who ratified, who renewed
for the next term): the SDK never recomputes a rule.

The treaty fund (``contracts/TreatyFund.vy``) keeps the same reconciling ledger as a
charter's fund; once the treaty has ended, anyone may :meth:`TreatyFund.refund` each
contributor its pro-rata share, and :meth:`TreatyFund.claim_for` delivers a payment a
charter refused while it was executing a proposal. Both are simulated first (a refusal is
the contract's typed exception, nothing is sent); ``dry_run=True`` returns that
:class:`~panarchy.chain.Simulation` instead.

    terms = TreatyTerms(document_cid, term=timedelta(days=365),
                        renewal_window=timedelta(days=30), ratification_deadline=deadline)
    fund = TreatyFundTerms(contribution_cap=10**18, period=timedelta(days=30))
    a.propose(ada, [create_treaty_action(factory, terms, [b.address, c.address], fund)], why)
    ...
    treaty = Treaty.created_by(chain, factory, a.address)[-1]
    b.propose(bo, [treaty.ratify_action()], why)
    treaty.state, treaty.time_left, treaty.not_renewed()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal, overload

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy import constants as C
from panarchy._utils import artifacts
from panarchy.charter.actions import encode_call
from panarchy.charter.describe import Describer
from panarchy.charter.types import Action
from panarchy.documents import bytes32_to_cid, cid_to_bytes32
from panarchy.errors import ConfigurationError
from panarchy.funds.ledger import Asset, Audit, LedgerEntry, audit, read_entries

if TYPE_CHECKING:
    from panarchy.chain import Chain, Simulation

_ZERO = "0x0000000000000000000000000000000000000000"
_ZERO32 = b"\x00" * 32
#: The most parties in one treaty, the proposer included (the contract's bound).
MAX_PARTIES = C.Treaty.MAX_PARTIES


class TreatyState(IntEnum):
    """A treaty's state, as ``Treaty.state()`` computes it from storage and block time."""

    PENDING = C.Treaty.PENDING
    IN_FORCE = C.Treaty.IN_FORCE
    RENEWAL_OPEN = C.Treaty.RENEWAL_OPEN
    LAPSED = C.Treaty.LAPSED
    NEVER_IN_FORCE = C.Treaty.NEVER_IN_FORCE
    ENDED = C.Treaty.ENDED

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


class DrawThreshold(IntEnum):
    """Whose approvals a draw on the treaty fund needs: every remaining party, or more than
    half of them."""

    UNANIMITY = C.Treaty.UNANIMITY
    MAJORITY = C.Treaty.MAJORITY


def _time(seconds: int) -> datetime | None:
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


def _memo(cid: str | None) -> bytes:
    return cid_to_bytes32(cid) if cid else _ZERO32


def _cid(raw: bytes) -> str | None:
    return bytes32_to_cid(raw) if raw and bytes(raw) != _ZERO32 else None


def _check_amount(amount: int) -> None:
    """An amount's encoding bound: whether it may be zero is the contract's say."""
    if not 0 <= amount < 2**256:
        raise ConfigurationError(f"{amount} is not an amount in base units (0 to 2**256 - 1)")


def _field(raw: Any, name: str, index: int) -> Any:
    """A struct field as web3 decodes it (a tuple, or a mapping)."""
    return raw[index] if isinstance(raw, (tuple, list)) else raw[name]


@dataclass(frozen=True)
class TreatyTerms:
    """A treaty's terms (``Treaty.Terms``): fixed at creation, except the document, which
    only an amendment every remaining party ratified replaces. The contract judges them
    (a zero term, a window not shorter than the term, a past deadline: its typed refusals)."""

    document_cid: str
    term: timedelta
    renewal_window: timedelta
    ratification_deadline: datetime
    draw_threshold: DrawThreshold = DrawThreshold.UNANIMITY
    lends_mediators: bool = False

    def to_chain(self) -> tuple[bytes, int, int, int, int, bool]:
        return (
            cid_to_bytes32(self.document_cid),
            int(self.term.total_seconds()),
            int(self.renewal_window.total_seconds()),
            int(self.ratification_deadline.timestamp()),
            int(self.draw_threshold),
            self.lends_mediators,
        )

    @classmethod
    def from_chain(cls, raw: Any) -> TreatyTerms:
        return cls(
            document_cid=bytes32_to_cid(_field(raw, "document", 0)),
            term=timedelta(seconds=_field(raw, "term_seconds", 1)),
            renewal_window=timedelta(seconds=_field(raw, "renewal_window_seconds", 2)),
            ratification_deadline=datetime.fromtimestamp(
                _field(raw, "ratification_deadline", 3), tz=UTC
            ),
            draw_threshold=DrawThreshold(_field(raw, "draw_threshold", 4)),
            lends_mediators=bool(_field(raw, "lends_mediators", 5)),
        )


@dataclass(frozen=True)
class TreatyFundTerms:
    """A treaty fund's terms (``Treaty.FundTerms``): the asset (``token`` None: ETH), the
    cap per party per period, and whether a withdrawing party takes its share when it
    leaves (otherwise it stays for the others)."""

    contribution_cap: int
    period: timedelta
    token: str | None = None
    share_on_withdrawal: bool = True
    enabled: bool = True

    def to_chain(self) -> tuple[bool, str, int, int, bool]:
        _check_amount(self.contribution_cap)
        token = to_checksum_address(self.token) if self.token else _ZERO
        return (
            self.enabled,
            token,
            self.contribution_cap,
            int(self.period.total_seconds()),
            self.share_on_withdrawal,
        )

    @classmethod
    def from_chain(cls, raw: Any) -> TreatyFundTerms:
        token = str(_field(raw, "token", 1))
        return cls(
            enabled=bool(_field(raw, "enabled", 0)),
            token=None if int(token, 16) == 0 else to_checksum_address(token),
            contribution_cap=int(_field(raw, "contribution_cap", 2)),
            period=timedelta(seconds=_field(raw, "period_seconds", 3)),
            share_on_withdrawal=bool(_field(raw, "share_on_withdrawal", 4)),
        )


#: No treaty fund.
NO_FUND = TreatyFundTerms(contribution_cap=0, period=timedelta(0), enabled=False)


@dataclass(frozen=True)
class Amendment:
    """The latest amendment (``version`` zero: none was ever proposed)."""

    version: int
    document_cid: str | None
    pending: bool
    ratifications: int


@dataclass(frozen=True)
class Draw:
    """A proposed payment from the treaty fund, with the approvals of remaining parties."""

    id: int
    recipient: str
    amount: int
    memo_cid: str | None
    proposer: str
    executed: bool
    approvals: int


@dataclass(frozen=True)
class TreatyEvent:
    """One entry of a treaty's history.

    ``kind``: ``initialized``, ``ratified``, ``entered_into_force``, ``renewed``,
    ``term_extended``, ``withdrew``, ``ended`` (a withdrawal left fewer than two parties),
    ``amendment_proposed``, ``amendment_ratified``, ``terms_amended``, ``distress``,
    ``draw_proposed``, ``draw_approved``, ``draw_executed``; and, for what no transaction
    marks (expiry is lazy), ``lapsed`` or ``never_in_force`` at the time the contract's
    state says it happened (``block`` None).
    """

    kind: str
    timestamp: datetime
    block: int | None
    party: str | None = None
    document_cid: str | None = None
    tx_hash: str | None = None
    details: dict[str, Any] = field(default_factory=dict, compare=False)


def _factory_contract(factory: str) -> Contract:
    # Encoding needs no node: an offline contract object is enough.
    return Web3().eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )


def create_treaty_action(
    factory: str,
    terms: TreatyTerms,
    invited: Sequence[str],
    fund_terms: TreatyFundTerms | None = None,
) -> Action:
    """The action a charter's proposal runs to propose a treaty to the ``invited`` charters
    (each founded by the same factory; the proposer counts as ratified), with a fund when
    ``fund_terms`` are given. The factory and the treaty judge the terms when it executes;
    :meth:`Treaty.created_by` finds the treaty afterwards."""
    contract = _factory_contract(factory)
    action = encode_call(
        contract,
        "create_treaty",
        [
            terms.to_chain(),
            [to_checksum_address(p) for p in invited],
            (fund_terms or NO_FUND).to_chain(),
        ],
    )
    summary = Describer({contract.address: "CharterFactory"}).describe(
        action.target, action.calldata
    )
    return replace(action, summary=summary)


class Treaty:
    """A treaty on chain: its state and countdowns, parties, terms, fund and history, and
    the actions its parties' proposals run.

    Args:
        chain: The chain.
        address: The treaty.
        from_block: The block to read its history from (its creation block when known).
    """

    def __init__(self, chain: Chain, address: str, *, from_block: int = 0) -> None:
        self.chain = chain
        self.address = to_checksum_address(address)
        self.from_block = from_block
        self.contract: Contract = chain.w3.eth.contract(
            address=self.address, abi=artifacts.load("Treaty")["abi"]
        )
        try:
            fund = str(self.chain.call(self.contract.functions.fund()))
            self.proposer = str(self.chain.call(self.contract.functions.proposer()))
        except Exception as exc:  # no code, or another contract's
            raise ConfigurationError(
                f"{self.address} is not a treaty on chain {chain.chain_id}"
            ) from exc
        #: The treaty fund's address (None: the treaty has no fund).
        self.fund_address = None if int(fund, 16) == 0 else to_checksum_address(fund)
        own: dict[str, str] = {self.address: "Treaty"}
        if self.fund_address:
            own[self.fund_address] = "TreatyFund"
        self._describer = Describer(own, self._token_of)
        self._fund: TreatyFund | None = None

    def __repr__(self) -> str:
        return f"<Treaty {self.address}>"

    @classmethod
    def created_by(cls, chain: Chain, factory: str, proposer: str) -> list[Treaty]:
        """The treaties ``proposer`` (a charter) created through ``factory``, oldest first."""
        made = chain.w3.eth.contract(
            address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
        )
        events = chain.logs(
            made.events.TreatyCreated,
            argument_filters={"proposer": to_checksum_address(proposer)},
        )
        return [cls(chain, e["args"]["treaty"], from_block=e["blockNumber"]) for e in events]

    @classmethod
    def of_party(cls, chain: Chain, factory: str, charter: str) -> list[Treaty]:
        """The treaties ``charter`` was invited to or proposed, through ``factory``."""
        charter = to_checksum_address(charter)
        made = chain.w3.eth.contract(
            address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
        )
        return [
            cls(chain, e["args"]["treaty"], from_block=e["blockNumber"])
            for e in chain.logs(made.events.TreatyCreated)
            if charter in [to_checksum_address(p) for p in e["args"]["parties"]]
        ]

    def _token_of(self, target: str) -> str | None:
        if self.fund_address and to_checksum_address(target) == self.fund_address:
            return self.fund.asset.token or _ZERO
        return None

    # --- what a party charter's own proposals run --------------------------------------

    def _call(self, fn_name: str, args: list[Any], contract: Contract | None = None) -> Action:
        """A call on the treaty (or its fund), in the shared describer's words."""
        action = encode_call(contract or self.contract, fn_name, args)
        return replace(action, summary=self._describer.describe(action.target, action.calldata))

    def ratify_action(self) -> Action:
        """The action an invited charter's proposal runs to ratify (before the deadline)."""
        return self._call("ratify", [])

    def renew_action(self) -> Action:
        """The action a party's proposal runs to renew for the next term (in the window)."""
        return self._call("renew", [])

    def withdraw_action(self) -> Action:
        """The action a party's proposal runs to withdraw (in any state: it never fails for
        a remaining party)."""
        return self._call("withdraw", [])

    def propose_amendment_action(self, cid: str) -> Action:
        """The action a party's proposal runs to propose new terms (the document ``cid``)."""
        return self._call("propose_amendment", [cid_to_bytes32(cid)])

    def ratify_amendment_action(self, version: int) -> Action:
        """The action a party's proposal runs to ratify the pending amendment ``version``."""
        return self._call("ratify_amendment", [version])

    def raise_distress_action(self, cid: str) -> Action:
        """The action a party's proposal runs to raise a distress signal (the document
        ``cid`` says what it needs)."""
        return self._call("raise_distress", [cid_to_bytes32(cid)])

    def propose_draw_action(self, recipient: str, amount: int, memo_cid: str) -> Action:
        """The action a party's proposal runs to propose a payment from the treaty fund
        (the proposing party approves it)."""
        _check_amount(amount)
        return self._call(
            "propose_draw", [to_checksum_address(recipient), amount, cid_to_bytes32(memo_cid)]
        )

    def approve_draw_action(self, draw_id: int) -> Action:
        """The action a party's proposal runs to approve draw ``draw_id`` (it executes once
        the approvals meet the threshold)."""
        return self._call("approve_draw", [draw_id])

    def execute_draw_action(self, draw_id: int) -> Action:
        """The action a party's proposal runs to execute a draw whose approvals meet the
        threshold now."""
        return self._call("execute_draw", [draw_id])

    def contribute_action(self, amount: int, memo_cid: str | None = None) -> Action:
        """The action a party's proposal runs to contribute ``amount`` to the treaty fund
        (see :meth:`TreatyFund.contribute_action`)."""
        return self.fund.contribute_action(amount, memo_cid)

    def check(self, party: str, action: Action) -> Simulation:
        """Would the treaty (or its fund) take ``action`` from charter ``party`` now, as
        its executed proposal would make it? Nothing is sent.

        Raises:
            TreatyError: (a subclass) the contract's own refusal.
        """
        return self.chain.simulate_as(party, action.target, action.calldata, action.value)

    # --- reads -------------------------------------------------------------------------

    def _view(self, name: str, *args: Any) -> Any:
        return self.chain.call(getattr(self.contract.functions, name)(*args))

    @property
    def state(self) -> TreatyState:
        """The state now (by the latest block's time)."""
        return TreatyState(self._view("state"))

    @property
    def in_force(self) -> bool:
        return bool(self._view("in_force"))

    @property
    def has_ended(self) -> bool:
        """Lapsed, never in force, or fewer than two parties remain: final."""
        return bool(self._view("has_ended"))

    def parties(self) -> list[str]:
        """The remaining parties, in invitation order."""
        return [str(p) for p in self._view("parties")]

    def invited(self) -> list[str]:
        """Every party ever invited, the proposer first."""
        return [str(p) for p in self._view("invited")]

    @property
    def remaining(self) -> int:
        return int(self._view("remaining"))

    def is_party(self, account: str) -> bool:
        """Whether ``account`` is a remaining party."""
        return bool(self._view("is_party", to_checksum_address(account)))

    def has_withdrawn(self, account: str) -> bool:
        return bool(self._view("has_withdrawn", to_checksum_address(account)))

    def has_ratified(self, account: str) -> bool:
        return bool(self._view("has_ratified", to_checksum_address(account)))

    def ratified(self) -> list[str]:
        """The invited parties that ratified."""
        return [p for p in self.invited() if self.has_ratified(p)]

    def has_renewed(self, account: str) -> bool:
        """Whether ``account`` renewed for the next term (in the running term's window)."""
        return bool(self._view("has_renewed", to_checksum_address(account)))

    def renewed(self) -> list[str]:
        """The remaining parties that renewed for the next term."""
        return [p for p in self.parties() if self.has_renewed(p)]

    def not_renewed(self) -> list[str]:
        """The remaining parties that have not renewed for the next term yet."""
        return [p for p in self.parties() if not self.has_renewed(p)]

    @property
    def term_index(self) -> int:
        """Which term runs (zero: the first)."""
        return int(self._view("term_index"))

    @property
    def entered_at(self) -> datetime | None:
        """When it entered into force (None: not yet)."""
        return _time(self._view("entered_at"))

    @property
    def expires_at(self) -> datetime | None:
        """When the running term ends, which is when the renewal window closes (None:
        not in force yet)."""
        return _time(self._view("expires_at"))

    @property
    def renewal_opens_at(self) -> datetime | None:
        """When the running term's renewal window opens (None: not in force yet)."""
        return _time(self._view("renewal_opens_at"))

    @property
    def renewal_closes_at(self) -> datetime | None:
        """When the renewal window closes: the end of the running term."""
        return self.expires_at

    @property
    def time_left(self) -> timedelta | None:
        """Until the running term ends, on the chain's clock (zero once past; None: not in
        force yet). Before entry, :attr:`terms`'s ratification deadline is the countdown."""
        expires = self.expires_at
        if expires is None:
            return None
        return max(expires - self.chain.now(), timedelta(0))

    @property
    def terms(self) -> TreatyTerms:
        """The terms in force (the document as last amended)."""
        return TreatyTerms.from_chain(self._view("terms"))

    @property
    def fund_terms(self) -> TreatyFundTerms:
        return TreatyFundTerms.from_chain(self._view("fund_terms"))

    @property
    def lends_mediators(self) -> bool:
        return bool(self._view("lends_mediators"))

    @property
    def fund(self) -> TreatyFund:
        """The treaty fund.

        Raises:
            ConfigurationError: the treaty has no fund.
        """
        if self.fund_address is None:
            raise ConfigurationError(f"treaty {self.address} has no fund")
        if self._fund is None:
            self._fund = TreatyFund(self.chain, self.fund_address, from_block=self.from_block)
        return self._fund

    @property
    def amendment(self) -> Amendment:
        """The latest amendment and whether it is pending now."""
        version, document, pending, count = self._view("amendment")
        return Amendment(int(version), _cid(document), bool(pending), int(count))

    def has_ratified_amendment(self, account: str, version: int) -> bool:
        return bool(self._view("has_ratified_amendment", to_checksum_address(account), version))

    def draw(self, draw_id: int) -> Draw:
        raw = self._view("draw", draw_id)
        return Draw(
            id=draw_id,
            recipient=str(_field(raw, "recipient", 0)),
            amount=int(_field(raw, "amount", 1)),
            memo_cid=_cid(_field(raw, "memo", 2)),
            proposer=str(_field(raw, "proposer", 3)),
            executed=bool(_field(raw, "executed", 4)),
            approvals=int(self._view("draw_approvals", draw_id)),
        )

    def draws(self) -> list[Draw]:
        """Every proposed draw (ids from 1)."""
        return [self.draw(i) for i in range(1, int(self._view("draw_count")) + 1)]

    def has_approved(self, draw_id: int, account: str) -> bool:
        return bool(self._view("has_approved", draw_id, to_checksum_address(account)))

    # --- history -------------------------------------------------------------------------

    _EVENTS = {
        "TreatyInitialized": "initialized",
        "Ratified": "ratified",
        "EnteredIntoForce": "entered_into_force",
        "Renewed": "renewed",
        "TermExtended": "term_extended",
        "Withdrawn": "withdrew",
        "AmendmentProposed": "amendment_proposed",
        "AmendmentRatified": "amendment_ratified",
        "TermsAmended": "terms_amended",
        "DistressRaised": "distress",
        "DrawProposed": "draw_proposed",
        "DrawApproved": "draw_approved",
        "DrawExecuted": "draw_executed",
    }

    def history(self) -> list[TreatyEvent]:
        """What happened to the treaty, oldest first, from its events; a lapse (or a
        ratification deadline that passed), which no transaction marks, comes last at the
        time the contract's state says it happened."""
        raw: list[Any] = []
        for name in self._EVENTS:
            raw += self.chain.logs(getattr(self.contract.events, name), from_block=self.from_block)
        raw.sort(key=lambda e: (e["blockNumber"], e["logIndex"]))
        times: dict[int, datetime] = {}
        out: list[TreatyEvent] = []
        for e in raw:
            block = e["blockNumber"]
            if block not in times:
                stamp = self.chain.w3.eth.get_block(block)["timestamp"]
                times[block] = datetime.fromtimestamp(stamp, tz=UTC)
            args = dict(e["args"])
            kind = self._EVENTS[e["event"]]
            if kind == "withdrew" and args.get("ended"):
                kind = "ended"
            document = args.get("document", args.get("new"))
            party = args.get("party", args.get("proposer", args.get("recipient")))
            out.append(
                TreatyEvent(
                    kind=kind,
                    timestamp=times[block],
                    block=block,
                    party=str(party) if party else None,
                    document_cid=_cid(document) if isinstance(document, bytes) else None,
                    tx_hash="0x" + bytes(e["transactionHash"]).hex(),
                    details=args,
                )
            )
        state = self.state
        if state is TreatyState.LAPSED and self.expires_at:
            out.append(TreatyEvent("lapsed", self.expires_at, None))
        elif state is TreatyState.NEVER_IN_FORCE:
            out.append(TreatyEvent("never_in_force", self.terms.ratification_deadline, None))
        return out

    def distress_signals(self) -> list[TreatyEvent]:
        """Every distress signal raised, with its document (what the party needs)."""
        return [e for e in self.history() if e.kind == "distress"]


class TreatyFund:
    """A treaty's solidarity fund: contributions by party proposals, draws the treaty
    executes, and pro-rata refunds once it has ended.

    Args:
        chain: The chain.
        address: The fund.
        from_block: The block to read its ledger from.
    """

    def __init__(self, chain: Chain, address: str, *, from_block: int = 0) -> None:
        self.chain = chain
        self.address = to_checksum_address(address)
        self.from_block = from_block
        self.contract: Contract = chain.w3.eth.contract(
            address=self.address, abi=artifacts.load("TreatyFund")["abi"]
        )
        try:
            token = self.chain.call(self.contract.functions.token())
            owner = self.chain.call(self.contract.functions.owner())
        except Exception as exc:
            raise ConfigurationError(
                f"{self.address} is not a treaty fund on chain {chain.chain_id}"
            ) from exc
        #: What it holds: ETH or one ERC20 token.
        self.asset = Asset.of(chain, token)
        #: The treaty that owns it.
        self.treaty_address = to_checksum_address(owner)
        self._describer = Describer(
            {self.address: "TreatyFund"}, lambda _target: self.asset.token or _ZERO
        )

    def __repr__(self) -> str:
        return f"<TreatyFund {self.address}>"

    def _view(self, name: str, *args: Any) -> Any:
        return self.chain.call(getattr(self.contract.functions, name)(*args))

    def contribute_action(self, amount: int, memo_cid: str | None = None) -> Action:
        """The action a party's proposal runs to contribute ``amount`` (base units) within
        its cap this period. For ETH the action carries the value (the charter pays it from
        its own balance); for a token the charter approves the fund first, in an earlier
        action of the same proposal."""
        _check_amount(amount)
        value = amount if self.asset.token is None else 0
        action = encode_call(self.contract, "contribute", [amount, _memo(memo_cid)], value=value)
        return replace(action, summary=self._describer.describe(action.target, action.calldata))

    # --- reads ---------------------------------------------------------------------------

    @property
    def balance(self) -> int:
        """What the fund holds now, in base units."""
        return self.asset.balance_of(self.chain, self.address)

    @property
    def available(self) -> int:
        """What it may pay out now."""
        return int(self._view("available"))

    @property
    def contribution_cap(self) -> int:
        return int(self._view("contribution_cap"))

    @property
    def period(self) -> timedelta:
        return timedelta(seconds=self._view("period_seconds"))

    def contributed_by(self, account: str) -> int:
        """What ``account`` contributed in all: its claim."""
        return int(self._view("contributed_by", to_checksum_address(account)))

    def given_this_period(self, account: str) -> int:
        return int(self._view("given_this_period", to_checksum_address(account)))

    def refund_due(self, account: str) -> int:
        """What ``account`` would be refunded now, if the treaty has ended (the last
        claimant also takes the rounding remainder)."""
        return int(self._view("refund_due", to_checksum_address(account)))

    def is_settled(self, account: str) -> bool:
        """Whether ``account``'s claim is settled (released, forfeited or refunded)."""
        return bool(self._view("is_settled", to_checksum_address(account)))

    @property
    def refunds_open(self) -> bool:
        """Whether the refund terms are fixed (the first refund fixed them)."""
        return bool(self._view("refunds_open"))

    @property
    def claims_total(self) -> int:
        return int(self._view("claims_total"))

    @property
    def creditors(self) -> int:
        """How many parties hold an open claim."""
        return int(self._view("creditors"))

    def owed(self, account: str) -> int:
        """What a payment ``account`` refused left owed to it."""
        return int(self._view("owed", to_checksum_address(account)))

    def ledger(self) -> list[LedgerEntry]:
        """Every contribution and payment, oldest first (the charter funds' ledger)."""
        return read_entries(self.chain, self.contract, self.from_block)

    def audit(self) -> Audit:
        """Replay the ledger and check it against the chain (see
        :func:`panarchy.funds.ledger.audit`)."""
        return audit(self.chain, self.contract, self.asset, self.from_block)[0]

    # --- writes anyone may make ------------------------------------------------------------

    @overload
    def refund(self, signer: LocalAccount, party: str, *, dry_run: Literal[False] = ...) -> int: ...

    @overload
    def refund(self, signer: LocalAccount, party: str, *, dry_run: Literal[True]) -> Simulation: ...

    def refund(
        self, signer: LocalAccount, party: str, *, dry_run: bool = False
    ) -> int | Simulation:
        """Pay ``party`` its pro-rata share once the treaty has ended (anyone may); returns
        the amount the fund paid or, if ``party`` refused it, left owed.

        Raises:
            TreatyFundError: the treaty has not ended, or ``party`` has nothing to refund.
        """
        fn = self.contract.functions.refund(to_checksum_address(party))
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        found = self.contract.events.Refunded().process_receipt(receipt, errors=DISCARD)
        return int(found[0]["args"]["amount"]) if found else 0

    @overload
    def claim_for(
        self, signer: LocalAccount, account: str, *, dry_run: Literal[False] = ...
    ) -> int: ...

    @overload
    def claim_for(
        self, signer: LocalAccount, account: str, *, dry_run: Literal[True]
    ) -> Simulation: ...

    def claim_for(
        self, signer: LocalAccount, account: str, *, dry_run: bool = False
    ) -> int | Simulation:
        """Deliver what the fund owes ``account`` (anyone may); returns the amount.

        Raises:
            NothingOwed: the fund owes ``account`` nothing.
        """
        fn = self.contract.functions.claim_for(to_checksum_address(account))
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        amount = self.owed(account)
        self.chain.transact(signer, fn)
        return amount


__all__ = [
    "MAX_PARTIES",
    "NO_FUND",
    "Amendment",
    "Draw",
    "DrawThreshold",
    "Treaty",
    "TreatyEvent",
    "TreatyFund",
    "TreatyFundTerms",
    "TreatyState",
    "TreatyTerms",
    "create_treaty_action",
]
