"""Builders for the actions a proposal runs on its own charter, clause book and role book,
and on the funds it owns.

A charter's governance functions, and its books', can only be called through an executed
proposal; these helpers encode them as :class:`~panarchy.charter.types.Action`s, and read them back
for display.

An action whose arguments its target judges (a role's terms, a minimum volunteering age) is
simulated as the charter when it is built (:meth:`Chain.simulate_as <panarchy.chain.Chain.
simulate_as>`: a call from the charter's address, the caller the action will have when the
proposal executes): the target's refusal is raised, typed, before anything is proposed. No
rule of the target is re-checked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from eth_utils import function_abi_to_4byte_selector, to_checksum_address
from web3.contract import Contract

from panarchy._utils import artifacts
from panarchy.charter.describe import Describer
from panarchy.charter.roles import RoleTerms, role_id, validate_volunteer_age
from panarchy.charter.types import Action, Parameters, Stakes
from panarchy.documents import cid_to_bytes32

if TYPE_CHECKING:
    from panarchy.chain import Call, Chain


def encode_call(
    contract: Contract, fn_name: str, args: list[Any], summary: str = "", value: int = 0
) -> Action:
    """An action calling ``contract.fn_name(*args)`` (with ``value`` wei); its ``summary``
    is for tables (the builders describe it through :mod:`panarchy.charter.describe`)."""
    fn = getattr(contract.functions, fn_name)(*args)
    data = bytes.fromhex(fn._encode_transaction_data()[2:])
    return Action(target=contract.address, value=value, calldata=data, summary=summary)


def simulated_as(
    chain: Chain | None, sender: str, action: Action, prior: Sequence[Call] = ()
) -> Action:
    """Return ``action`` once its target would take it from ``sender`` now (the charter or
    fund owner a proposal executes it as), after the ``prior`` calls; without a chain (an
    offline builder), unchecked.

    Raises:
        ContractReverted: (a subclass) the target's own refusal.
    """
    if chain is not None:
        chain.simulate_as(sender, action.target, action.calldata, action.value, prior=prior)
    return action


class CharterActions:
    """The governance actions of one charter.

    Args:
        contract: The charter.
        book: Its clause book.
        role_book: Its role book.
        chain: The chain, to simulate actions as the charter when they are built (None:
            build without asking the chain).
    """

    def __init__(
        self,
        contract: Contract,
        book: Contract,
        role_book: Contract,
        *,
        chain: Chain | None = None,
    ) -> None:
        self._contract = contract
        self._book = book
        self._role_book = role_book
        self._chain = chain
        self._describer: Describer | None = None

    def _as_charter(self, action: Action, prior: Sequence[Call] = ()) -> Action:
        return self._described(simulated_as(self._chain, self._contract.address, action, prior))

    def _described(self, action: Action) -> Action:
        """The action with its summary in plain words (the shared templates)."""
        return replace(action, summary=self.describe(action.target, action.calldata))

    def _action(self, fn_name: str, args: list[Any], *, book: bool = False) -> Action:
        return self._described(encode_call(self._book if book else self._contract, fn_name, args))

    # --- roles ------------------------------------------------------------------------

    def define_role(self, role: str, term: timedelta, max_consecutive_terms: int) -> Action:
        """Define a role, or change its terms from the next mandate on. (MAJORITY.)

        Raises:
            InvalidRoleTerms: the role book's refusal of these terms (simulated as the
                charter: a zero or too long term, zero or too many terms in a row).
        """
        RoleTerms(term, max_consecutive_terms).validate()
        return self._as_charter(
            encode_call(
                self._role_book,
                "define_role",
                [role_id(role), int(term.total_seconds()), max_consecutive_terms],
            )
        )

    def set_min_volunteer_age(self, role: str, age: timedelta) -> Action:
        """Require members to have sat in their seat (since they last joined) for ``age``
        before volunteering for ``role``; zero lets any member volunteer. Volunteers already
        on the roster stay (clear it with :meth:`clear_roster`). (MAJORITY.)

        A role not defined yet may be named (a define-role proposal, or an earlier action of
        the same proposal, defines it first): the age is then simulated after a stand-in
        definition of the role, so the role book still judges it.

        Raises:
            InvalidRoleTerms: the role book's refusal of the age (too long).
        """
        validate_volunteer_age(age)
        rid = role_id(role)
        action = encode_call(
            self._role_book,
            "set_min_volunteer_age",
            [rid, int(age.total_seconds())],
        )
        prior: list[Call] = []
        if (
            self._chain is not None
            and not self._chain.call(self._role_book.functions.terms(rid))[0]
        ):
            stand_in = encode_call(self._role_book, "define_role", [rid, 1, 1])
            prior.append((stand_in.target, stand_in.calldata, 0))
        return self._as_charter(action, prior)

    def clear_roster(self, role: str) -> Action:
        """Take every volunteer off the roster of ``role`` (a mandate in force stays).
        (MAJORITY.)"""
        return self._described(encode_call(self._role_book, "clear_roster", [role_id(role)]))

    def appoint(self, role: str, account: str) -> Action:
        """Give a member a term of ``role`` from the moment it executes, replacing any
        mandate in force. (MAJORITY.)"""
        account = to_checksum_address(account)
        return self._described(encode_call(self._role_book, "appoint", [role_id(role), account]))

    def remove_volunteer(self, role: str, account: str) -> Action:
        """Take a member off the roster of ``role``. (MAJORITY.)"""
        account = to_checksum_address(account)
        return self._described(
            encode_call(self._role_book, "remove_volunteer", [role_id(role), account])
        )

    def recall(self, role: str) -> Action:
        """Recall the mandate of ``role`` in force when it executes. (MAJORITY.)"""
        return self._described(encode_call(self._role_book, "recall", [role_id(role)]))

    def admit(self, account: str) -> Action:
        """Invite ``account``; it becomes a member when it joins. (CONSENT by default.)"""
        account = to_checksum_address(account)
        return self._action("admit", [account])

    def enact_clause(self, cid: str, term_cycles: int) -> Action:
        """Enact a clause for ``term_cycles`` revision cycles. (MAJORITY by default.)"""
        return self._action("enact_clause", [cid_to_bytes32(cid), term_cycles], book=True)

    def amend_clause(self, clause_id: int, cid: str, term_cycles: int) -> Action:
        """Give a clause new text and a new term. (MAJORITY by default.)"""
        return self._action(
            "amend_clause", [clause_id, cid_to_bytes32(cid), term_cycles], book=True
        )

    def renew_clause(self, clause_id: int, term_cycles: int) -> Action:
        """Renew a clause unchanged for a new term. (CONSENT by default.)"""
        return self._action("renew_clause", [clause_id, term_cycles], book=True)

    def repeal_clause(self, clause_id: int) -> Action:
        """Repeal a clause. (MAJORITY by default.)"""
        return self._action("repeal_clause", [clause_id], book=True)

    def set_concord(self, cid: str) -> Action:
        """Replace the concord. (SUPERMAJORITY, entrenched.)"""
        return self._action("set_concord", [cid_to_bytes32(cid)])

    def set_parameters(self, parameters: Parameters) -> list[Action]:
        """Replace every parameter: two actions, the charter's voting rules and the clause
        book's rules. (SUPERMAJORITY, entrenched.)"""
        return [self.set_voting_parameters(parameters), self.set_clause_rules(parameters)]

    def set_voting_parameters(self, parameters: Parameters) -> Action:
        """Replace the charter's share of the parameters (voting, quorum, thresholds,
        admission). (SUPERMAJORITY, entrenched.)"""
        return self._action("set_parameters", [parameters.to_chain()])

    def set_clause_rules(self, parameters: Parameters) -> Action:
        """Replace the clause book's rules (revision period, terms, renewals, quota).
        (SUPERMAJORITY, entrenched.)"""
        return self._action("set_rules", [parameters.rules_to_chain()], book=True)

    def set_stakes(self, function_name: str, level: Stakes) -> Action:
        """Set the stakes level of a function of the charter or its books, by name (the
        table is keyed by the contract and the selector). (SUPERMAJORITY, entrenched.)"""
        target, selector = self.owner_and_selector(function_name)
        return self._action("set_stakes", [target, selector, int(level)])

    def owner_and_selector(self, function_name: str) -> tuple[str, bytes]:
        """Which of the charter's contracts has ``function_name``, and its selector."""
        for contract in (self._contract, self._book, self._role_book):
            for entry in contract.abi:
                if entry.get("type") == "function" and entry.get("name") == function_name:
                    return contract.address, bytes(function_abi_to_4byte_selector(entry))
        raise ValueError(f"neither the charter nor its books have {function_name!r}")

    def selector(self, function_name: str) -> bytes:
        """The 4-byte selector of one of the charter's (or its clause book's) functions."""
        for entry in [*self._contract.abi, *self._book.abi, *self._role_book.abi]:
            if entry.get("type") == "function" and entry.get("name") == function_name:
                return bytes(function_abi_to_4byte_selector(entry))
        raise ValueError(f"neither the charter nor its books have {function_name!r}")

    def describe(self, target: str, calldata: bytes) -> str:
        """An action in plain words (the templates shared with the web app, see
        :mod:`panarchy.charter.describe`)."""
        if self._describer is None:
            own: dict[str, str] = {
                self._contract.address: "Charter",
                self._book.address: "ClauseBook",
                self._role_book.address: "RoleBook",
            }
            self._describer = Describer(own, self._token_of)
        return self._describer.describe(target, calldata)

    def _token_of(self, target: str) -> str | None:
        """A fund's token (the zero address: ETH), so its amounts read in ETH; None when the
        target has no ``token()`` to read."""
        fund = self._contract.w3.eth.contract(
            address=to_checksum_address(target), abi=artifacts.load("SolidarityFund")["abi"]
        )
        try:
            return str(fund.functions.token().call())
        except Exception:  # not a fund after all: its amounts stay in base units
            return None


__all__ = [
    "encode_call",
    "simulated_as",
    "CharterActions",
]
