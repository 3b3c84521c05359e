"""A connection to a chain: the in-process chain, a local node, or a public testnet.

:class:`Chain` wraps a web3 instance with what the SDK needs everywhere: sending a signed
transaction through the one choke point that turns reverts into typed exceptions, reading
the chain's clock, and (on development chains only) moving time and funding accounts.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from eth_abi import decode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_canonical_address
from web3 import Web3
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.types import TxReceipt, Wei

from panarchy._utils.reverts import translate
from panarchy.errors import ChainUnavailable, ConfigurationError, TransactionFailed

#: The well-known development mnemonic (anvil's and ape's default): never hold real funds.
DEV_MNEMONIC = "test test test test test test test test test test test junk"

#: How many development accounts a dev chain funds: the in-process chain and anvil as
#: :class:`panarchy.node.Anvil` (and so ``panarchy node``) starts it (``--dev-account 0`` to
#: ``DEV_ACCOUNT_COUNT - 1``). A bare ``anvil`` funds its default 10.
DEV_ACCOUNT_COUNT = 20

#: Chain ids of development chains, where time may be moved and accounts funded.
DEV_CHAIN_IDS = frozenset({1337, 31337, 131277322940537})

#: One call of :meth:`Chain.simulate_as`'s ``prior``: ``(to, data, value)``.
Call = tuple[str, bytes, int]

_ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
_GAS_HEADROOM = 1.25  # estimate * headroom; unused gas is refunded

# One lock per (chain, sender): reading the nonce, signing and broadcasting happen as one
# step, so threads sending from one key get contiguous nonces instead of the same one.
_SEND_LOCKS: dict[tuple[int, str], threading.Lock] = {}
_SEND_LOCKS_GUARD = threading.Lock()


def _send_lock(chain_id: int, sender: str) -> threading.Lock:
    with _SEND_LOCKS_GUARD:
        return _SEND_LOCKS.setdefault((chain_id, sender), threading.Lock())


def dev_accounts(count: int = DEV_ACCOUNT_COUNT) -> list[LocalAccount]:
    """Return the development accounts of :data:`DEV_MNEMONIC` (anvil's own accounts).

    Args:
        count: How many accounts to derive (default :data:`DEV_ACCOUNT_COUNT`, the ones a
            dev chain funds; more may be derived, unfunded).
    """
    Account.enable_unaudited_hdwallet_features()
    return [
        Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        for i in range(count)
    ]


@dataclass(frozen=True)
class Simulation:
    """What a transaction would do if sent now: it would pass (a refusal raises instead),
    return ``result`` and use ``gas``."""

    result: Any
    gas: int


class Chain:
    """A web3 connection with the SDK's transaction choke point and clock helpers."""

    def __init__(self, w3: Web3, *, receipt_timeout: float = 120.0) -> None:
        self.w3 = w3
        self.receipt_timeout = receipt_timeout
        try:
            self.chain_id = int(w3.eth.chain_id)
        except Exception as exc:  # the first call tells whether the node is there at all
            raise ChainUnavailable(
                f"cannot reach the chain at {_endpoint(w3)}: {exc}. "
                "Start the node or check the --rpc URL."
            ) from exc

    def __repr__(self) -> str:
        return f"<Chain id={self.chain_id} at {_endpoint(self.w3)}>"

    # --- construction ----------------------------------------------------------------

    @classmethod
    def in_process(cls) -> Chain:
        """An in-process chain (py-evm through eth-tester): no server, nothing to start.

        The :data:`DEV_ACCOUNT_COUNT` development accounts (:func:`dev_accounts`) are
        funded with 1,000 ETH each.
        """
        from web3 import EthereumTesterProvider

        chain = cls(Web3(EthereumTesterProvider()))
        for account in dev_accounts():
            chain.fund(account.address, 1_000 * 10**18)
        return chain

    @classmethod
    def connect(cls, rpc_url: str, *, timeout: float = 30.0) -> Chain:
        """Connect to a JSON-RPC node over HTTP.

        Args:
            rpc_url: The node's URL, e.g. ``http://127.0.0.1:8545``.
            timeout: Seconds to wait for each request.
        """
        if not rpc_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"unsupported RPC URL {rpc_url!r}: give an http:// or https:// URL"
            )
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}))
        return cls(w3)

    # --- clock -----------------------------------------------------------------------

    @property
    def is_dev(self) -> bool:
        """Whether this is a development node (time may move, accounts may be funded):
        the in-process chain, or anvil whatever chain id it pretends to have."""
        if self._is_tester or self.chain_id in DEV_CHAIN_IDS:
            return True
        try:
            return "anvil" in str(self.w3.client_version).lower()
        except Exception:
            return False

    @property
    def is_dev_by_id(self) -> bool:
        """Whether the chain id itself is a development one (31337, 1337, the tester's)."""
        return self.chain_id in DEV_CHAIN_IDS or self._is_tester

    @property
    def _is_tester(self) -> bool:
        return hasattr(self.w3.provider, "ethereum_tester")

    def timestamp(self) -> int:
        """The latest block's timestamp."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def now(self) -> datetime:
        """The chain's time (latest block), as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp(), tz=UTC)

    def advance(self, delta: timedelta | int) -> datetime:
        """Move a development chain's clock forward and mine a block.

        Args:
            delta: How far to move, as a timedelta or in seconds.

        Returns:
            The new chain time.
        """
        seconds = int(delta.total_seconds()) if isinstance(delta, timedelta) else int(delta)
        if seconds < 0:
            raise ValueError("time only moves forward")
        if not self.is_dev:
            raise ConfigurationError("time can only be moved on a development chain")
        if self._is_tester:
            # eth-tester mines the travel block one second before the target it is given.
            tester = self.w3.provider.ethereum_tester  # type: ignore[attr-defined]
            tester.time_travel(self.timestamp() + seconds + 1)
        else:
            self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
            self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        return self.now()

    def fund(self, address: str, wei: int) -> None:
        """Give a development account ETH (in-process chain or anvil only)."""
        if self._is_tester:
            source = self.w3.eth.accounts[0]
            tx_hash = self.w3.eth.send_transaction(
                {"from": source, "to": address, "value": Wei(wei)}
            )
            self.w3.eth.wait_for_transaction_receipt(tx_hash)
        elif self.is_dev:
            balance = self.w3.eth.get_balance(address)  # type: ignore[arg-type]
            self.w3.provider.make_request("anvil_setBalance", [address, hex(balance + wei)])  # type: ignore[arg-type]
        else:
            raise ConfigurationError("accounts can only be funded on a development chain")

    # --- transactions ----------------------------------------------------------------

    # --- reads: the one choke point (a node's error becomes the SDK's typed one) ------

    def call(self, fn: Any, *, sender: str | None = None, block: Any = "latest") -> Any:
        """Call a view function (a bound contract function) at ``block``, translating
        reverts and node failures."""
        try:
            return fn.call({"from": sender} if sender else {}, block_identifier=block)
        except Exception as exc:
            raise translate(exc) from exc

    def logs(
        self,
        event: Any,
        *,
        from_block: int = 0,
        argument_filters: dict[str, Any] | None = None,
    ) -> list[Any]:
        """Read an event's logs (``contract.events.Name``, decoded), translating node
        failures.

        Args:
            event: The contract's event class, e.g. ``charter.contract.events.MemberJoined``.
            from_block: The first block to read.
            argument_filters: Indexed arguments to match, e.g. ``{"proposalId": 3}``.
        """
        try:
            return list(event().get_logs(from_block=from_block, argument_filters=argument_filters))
        except Exception as exc:
            raise translate(exc) from exc

    def simulate(
        self,
        sender: str,
        fn: Any = None,
        *,
        to: str | None = None,
        data: bytes = b"",
        value: int = 0,
    ) -> Simulation:
        """Would this transaction pass, and what would it do? Asks the chain, nothing else.

        Runs the call on the pending block (``eth_call`` and ``eth_estimateGas``, where the
        transaction would run) as ``sender``, without signing or sending anything. The
        contract is the only judge: a refusal is its own revert, as the typed exception its
        reason maps to (the same one :meth:`transact` would raise). viem's
        ``simulateContract`` gives the web app the same answer.

        Returns:
            A :class:`Simulation`: the decoded return value (for a contract function) and
            the gas the transaction would use.

        Raises:
            ContractReverted: (or a subclass) when the contract would refuse.
            ChainUnavailable: when the node does not answer.
        """
        block = None if self._is_tester else "pending"
        params: dict[str, Any] = {"from": sender, "value": value}
        try:
            if fn is not None:
                result = fn.call(params, block_identifier=block or "latest")
                gas = fn.estimate_gas(params, block_identifier=block)
            else:
                tx = dict(params, data=data)
                if to is not None:
                    tx["to"] = to
                result = bytes(self.w3.eth.call(tx, block or "latest"))  # type: ignore[arg-type]
                gas = self.w3.eth.estimate_gas(tx, block)  # type: ignore[arg-type]
        except Exception as exc:
            raise translate(exc) from exc
        return Simulation(result=result, gas=int(gas))

    def simulate_as(
        self,
        sender: str,
        to: str,
        data: bytes = b"",
        value: int = 0,
        *,
        prior: Sequence[Call] = (),
    ) -> Simulation:
        """Would ``sender`` (any address, a contract included) be let make this call now?

        What :meth:`simulate` asks, for a sender nobody can sign for: a charter, whose
        proposals' actions run as calls from its own address when they execute. Nothing is
        signed, sent or changed; the sender needs no ETH (its balance is topped up for the
        call's value and gas in the simulation only). A refusal is the target's own revert,
        as the typed exception its reason maps to.

        On the in-process chain the calls run on py-evm's latest state, reverted afterwards;
        on a node they go to ``eth_simulateV1`` (anvil, geth: no fee or balance checks, a
        balance override for the value), or, on a node without it, to ``eth_call`` without
        a gas price (``prior`` then unsupported).

        Args:
            sender: Who makes the call.
            to: The contract called.
            data: The calldata.
            value: Wei sent with the call.
            prior: Calls ``(to, data, value)`` by the same sender run first, in order, in
                the same simulation: the effects of a proposal's earlier actions.

        Returns:
            A :class:`Simulation`: the raw return data and the gas the call used.

        Raises:
            ContractReverted: (or a subclass) when the target (or a prior call) would refuse.
            ChainUnavailable: when the node does not answer.
        """
        calls = [*prior, (to, data, value)]
        try:
            if self._is_tester:
                return self._simulate_in_process(sender, calls)
            return self._simulate_on_node(sender, calls)
        except Exception as exc:
            raise translate(exc) from exc

    def _simulate_in_process(self, sender: str, calls: Sequence[Call]) -> Simulation:
        """Run ``calls`` from ``sender`` on py-evm's latest state, then revert it (what
        eth-tester's own ``eth_call`` does, which refuses a sender without ETH)."""
        from eth.vm.spoof import SpoofTransaction

        evm = self.w3.provider.ethereum_tester.backend.chain  # type: ignore[attr-defined]
        vm = evm.get_vm(at_header=evm.get_canonical_head())
        state = vm.state
        origin = to_canonical_address(sender)
        gas_limit = vm.get_header().gas_limit
        gas_price = state.execution_context.base_fee_per_gas
        snapshot = state.snapshot()
        try:
            for to, data, value in calls:
                needed = gas_limit * gas_price + value
                state.set_balance(origin, state.get_balance(origin) + needed)
                tx = vm.create_unsigned_transaction(
                    nonce=state.get_nonce(origin),
                    gas_price=gas_price,
                    gas=gas_limit,
                    to=to_canonical_address(to),
                    value=value,
                    data=data,
                )
                computation = state.apply_transaction(SpoofTransaction(tx, from_=origin))
                if computation.is_error:
                    error = computation.error
                    raise _reverted(error.args[0] if error.args else b"")
        finally:
            state.revert(snapshot)
        used = gas_limit - computation.get_gas_remaining()
        return Simulation(
            result=bytes(computation.output),
            gas=used - min(computation.get_gas_refund(), used // 5),
        )

    def _simulate_on_node(self, sender: str, calls: Sequence[Call]) -> Simulation:
        """``eth_simulateV1`` on the pending block; ``eth_call`` where the node lacks it."""
        txs = [
            {"from": sender, "to": to, "data": "0x" + bytes(data).hex(), "value": hex(value)}
            for to, data, value in calls
        ]
        need = sum(value for *_, value in calls)
        block: dict[str, Any] = {"calls": txs}
        if need:
            balance = int(self.w3.eth.get_balance(sender, "pending"))  # type: ignore[arg-type]
            block["stateOverrides"] = {sender: {"balance": hex(balance + need)}}
        answer = self.w3.provider.make_request(
            "eth_simulateV1",  # type: ignore[arg-type]
            [{"blockStateCalls": [block]}, "pending"],
        )
        if "error" in answer:
            if len(calls) > 1 or answer["error"].get("code") not in (-32601, -32602):
                raise Web3RPCError(str(answer["error"]))
            # No eth_simulateV1: eth_call and estimate without a gas price (no fee or
            # balance checks for the sender on geth and anvil).
            tx = {"from": sender, "to": calls[0][0], "data": calls[0][1], "value": calls[0][2]}
            result = bytes(self.w3.eth.call(tx, "pending"))  # type: ignore[arg-type]
            return Simulation(result=result, gas=int(self.w3.eth.estimate_gas(tx, "pending")))  # type: ignore[arg-type]
        results = answer["result"][0]["calls"]
        for result in results:
            if int(result["status"], 16) != 1:
                # The revert data: in ``error.data`` (geth) or ``returnData`` (anvil).
                error = result.get("error") or {}
                raw = bytes.fromhex(str(error.get("data") or result["returnData"])[2:])
                raise _reverted(raw)
        last = results[-1]
        return Simulation(
            result=bytes.fromhex(last["returnData"][2:]), gas=int(last["gasUsed"], 16)
        )

    def transact(
        self,
        signer: LocalAccount,
        fn: Any = None,
        *,
        to: str | None = None,
        data: bytes = b"",
        value: int = 0,
    ) -> TxReceipt:
        """Sign and send a transaction, wait for its receipt, translate any failure.

        Either ``fn`` (a bound contract function or constructor) or ``to``/``data`` describe
        the call.

        Raises:
            ContractReverted: (or a subclass) when the contract refuses, with its reason.
            TransactionFailed: when the node refuses or the transaction fails otherwise.
            ChainUnavailable: when the node does not answer.
        """
        tx_hash = self.send(signer, fn, to=to, data=data, value=value)
        return self.wait(tx_hash)

    def send(
        self,
        signer: LocalAccount,
        fn: Any = None,
        *,
        to: str | None = None,
        data: bytes = b"",
        value: int = 0,
    ) -> str:
        """Sign and broadcast a transaction without waiting; return its hash (0x-hex).

        The gas estimate runs first, so a call the contract would refuse raises here,
        with its typed exception, and nothing is broadcast. Threads sending from one key
        take turns (contiguous nonces), and a broadcast whose answer is lost is retried
        only with the same signed bytes.
        """
        try:
            with _send_lock(self.chain_id, signer.address):
                return self._sign_and_broadcast(signer, fn, to=to, data=data, value=value)
        except Exception as exc:
            raise translate(exc) from exc

    def _sign_and_broadcast(
        self, signer: LocalAccount, fn: Any, *, to: str | None, data: bytes, value: int
    ) -> str:
        """Read the nonce, estimate, sign, broadcast (under the sender's lock)."""
        nonce = self.w3.eth.get_transaction_count(signer.address, "pending")
        params: dict[str, Any] = {"from": signer.address, "nonce": nonce, "value": value}
        # Estimate against the pending block, where the transaction will run: a
        # contract may take another path in a new block (a checkpoint appended
        # rather than overwritten), and "latest" would underestimate it.
        # (eth-tester estimates on its pending block already, and takes no identifier.)
        block = None if self._is_tester else "pending"
        if fn is not None:
            params["gas"] = fn.estimate_gas(params, block_identifier=block)
            tx = dict(fn.build_transaction(params))
        else:
            tx = dict(params, data=data, chainId=self.chain_id)
            if to is not None:
                tx["to"] = to
            tx["gas"] = self.w3.eth.estimate_gas(tx, block)  # type: ignore[arg-type]
            _fill_fees(self.w3, tx)
        tx["gas"] = int(tx["gas"] * _GAS_HEADROOM)
        raw = bytes(signer.sign_transaction(tx).raw_transaction)
        return self._broadcast(raw, "0x" + keccak(raw).hex())  # a transaction's hash

    def _broadcast(self, raw: bytes, tx_hash: str, attempts: int = 3) -> str:
        """Send signed bytes. When the answer is lost, delayed or an error, ask the node
        whether it has the transaction (an earlier try arrived) before trying the same
        bytes again: never a second transaction for one action."""
        for attempt in range(attempts):
            try:
                self.w3.eth.send_raw_transaction(raw)
                return tx_hash
            except Exception as exc:
                if self._knows(tx_hash):
                    return tx_hash
                if attempt == attempts - 1 or not isinstance(exc, OSError):
                    raise  # a refusal by the node (or the last try)
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _knows(self, tx_hash: str) -> bool:
        try:
            self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
            return True
        except Exception:
            return False

    def wait(self, tx_hash: str) -> TxReceipt:
        """Wait for a transaction's receipt; raise the typed reason if it failed.

        A fault while polling (a dropped or 5xx answer) is retried until the timeout.
        """
        deadline = time.monotonic() + self.receipt_timeout
        while True:
            try:
                receipt = self.w3.eth.wait_for_transaction_receipt(
                    tx_hash,  # type: ignore[arg-type]
                    timeout=max(0.1, deadline - time.monotonic()),
                )
                break
            except OSError as exc:  # transport faults (requests' errors are OSErrors)
                if time.monotonic() >= deadline:
                    raise translate(exc) from exc
                time.sleep(0.1)
            except Exception as exc:
                raise translate(exc) from exc
        if receipt["status"] != 1:
            self._raise_replayed(tx_hash, receipt)
        return receipt

    def _raise_replayed(self, tx_hash: str, receipt: TxReceipt) -> None:
        """The state moved between estimate and inclusion: replay to learn the reason."""
        tx = self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        replay = {"from": tx["from"], "to": tx.get("to"), "data": tx["input"], "value": tx["value"]}
        try:
            self.w3.eth.call(replay, receipt["blockNumber"] - 1)  # type: ignore[arg-type]
        except Exception as exc:
            raise translate(exc) from exc
        raise TransactionFailed(f"transaction {receipt['transactionHash'].hex()} failed")


def _reverted(data: Any) -> ContractLogicError:
    """A revert's data as web3 reports it (the reason in the message, the data kept)."""
    raw = bytes(data) if isinstance(data, bytes) else b""
    reason = ""
    if raw[:4] == _ERROR_SELECTOR:
        with contextlib.suppress(Exception):  # malformed: no reason
            reason = str(decode(["string"], raw[4:])[0])
    return ContractLogicError(f"execution reverted: {reason}", data="0x" + raw.hex())


def _fill_fees(w3: Web3, tx: dict[str, Any]) -> None:
    """Set EIP-1559 fees the way web3's build_transaction does."""
    base = w3.eth.get_block("latest").get("baseFeePerGas")
    if base is None:
        tx["gasPrice"] = w3.eth.gas_price
        return
    tip = w3.eth.max_priority_fee
    tx["maxPriorityFeePerGas"] = tip
    tx["maxFeePerGas"] = int(base) * 2 + tip


def _endpoint(w3: Web3) -> str:
    uri = getattr(w3.provider, "endpoint_uri", None)
    return str(uri) if uri else "the in-process chain"


__all__ = [
    "DEV_MNEMONIC",
    "DEV_ACCOUNT_COUNT",
    "DEV_CHAIN_IDS",
    "Call",
    "dev_accounts",
    "Simulation",
    "Chain",
]
