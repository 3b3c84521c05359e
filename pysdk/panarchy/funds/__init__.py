"""Solidarity funds and savings circles: money a community holds in common, in the open.

- :class:`Fund` — a charter's fund, in ETH or one ERC20 token: capped contributions, the
  steward's disbursements within a limit the charter sets, the charter's decisions by
  proposal, and :class:`FundTerms` (who set them);
- :class:`SavingsCircle` — the rotating mode: fixed contributions, the pot to each
  participant in turn, money that arrived outside the ledger swept to them all, and its
  :class:`CircleStatus` (every pot paid, and who still owes a round);
- :func:`~panarchy.funds.ledger.audit` and :func:`~panarchy.funds.plot.plot_balance` — the
  ledger replayed from chain history, and drawn.

Every write is the contract's to judge: it is simulated first (a refusal is the contract's
typed exception, nothing is sent), and ``dry_run=True`` returns that
:class:`~panarchy.chain.Simulation` instead of sending.
"""

from panarchy.funds.circle import (
    MAX_PARTICIPANTS,
    CircleStatus,
    Participant,
    Round,
    SavingsCircle,
    circles_of,
)
from panarchy.funds.fund import Fund, FundLimits, FundSummary, FundTerms, funds_of
from panarchy.funds.ledger import Asset, Audit, AuditPoint, LedgerEntry, to_csv, to_json
from panarchy.funds.plot import balance_figure, plot_balance

__all__ = [
    # funds
    "Fund",
    "FundLimits",
    "FundSummary",
    "FundTerms",
    "funds_of",
    # circles
    "SavingsCircle",
    "CircleStatus",
    "Participant",
    "Round",
    "MAX_PARTICIPANTS",
    "circles_of",
    # the ledger
    "Asset",
    "Audit",
    "AuditPoint",
    "LedgerEntry",
    "to_csv",
    "to_json",
    "plot_balance",
    "balance_figure",
]
