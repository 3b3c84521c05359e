"""Panarchy: voluntary communities governing themselves on Ethereum.

Charters whose clauses expire unless renewed, decided by proposals whose stakes follow
from what they do; documents on IPFS, referenced on chain by their CIDs.

    >>> from panarchy import Chain, deploy_charter, DeploymentRecord  # doctest: +SKIP
"""

from panarchy.chain import Chain, dev_accounts
from panarchy.charter import Charter
from panarchy.charter.types import (
    Action,
    Admission,
    Clause,
    Parameters,
    Proposal,
    ProposalState,
    RevisionReport,
    Stakes,
    Support,
)
from panarchy.deploy import DeploymentRecord, deploy_charter, deploy_factory
from panarchy.errors import PanarchyError

__all__ = [
    # connecting
    "Chain",
    "dev_accounts",
    # deploying
    "DeploymentRecord",
    "deploy_charter",
    "deploy_factory",
    # the charter
    "Charter",
    "Action",
    "Parameters",
    "Admission",
    "Stakes",
    "Support",
    "Proposal",
    "ProposalState",
    "Clause",
    "RevisionReport",
    # errors (the rest live in panarchy.errors)
    "PanarchyError",
]

__version__ = "0.1.0"
