# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Fast-path attacker
@custom:contract-name FastPath
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A contract member that tries to propose, vote for and execute a
        proposal in one transaction (so in one block), and to join and vote
        in one transaction (flash membership). Every step is a plain extcall:
        whichever step the charter refuses reverts the whole attempt with the
        charter's own reason.
"""


# @dev The charter functions the attacker uses.
interface ICharter:
    def join(): nonpayable
    def propose(
        targets: DynArray[address, 10],
        values: DynArray[uint256, 10],
        calldatas: DynArray[Bytes[1024], 10],
        description: bytes32,
    ) -> uint256: nonpayable
    def cast_vote(proposal_id: uint256, support: uint8) -> uint256: nonpayable
    def execute(
        proposal_id: uint256,
        targets: DynArray[address, 10],
        values: DynArray[uint256, 10],
        calldatas: DynArray[Bytes[1024], 10],
    ): payable


# @dev The charter attacked.
charter: public(address)


# @dev The last proposal this contract created.
last_proposal: public(uint256)


@deploy
def __init__(charter: address):
    """
    @dev Sets the charter.
    @param charter The charter to attack.
    """
    self.charter = charter


@external
def join():
    """
    @dev Joins the charter (open admission).
    """
    extcall ICharter(self.charter).join()


@external
def propose(
    targets: DynArray[address, 10],
    values: DynArray[uint256, 10],
    calldatas: DynArray[Bytes[1024], 10],
    description: bytes32,
) -> uint256:
    """
    @dev Only proposes (to get a proposal into an earlier block).
    @return uint256 The proposal id.
    """
    pid: uint256 = extcall ICharter(self.charter).propose(targets, values, calldatas, description)
    self.last_proposal = pid
    return pid


@external
def join_and_propose(
    targets: DynArray[address, 10],
    values: DynArray[uint256, 10],
    calldatas: DynArray[Bytes[1024], 10],
    description: bytes32,
) -> uint256:
    """
    @dev Joins and proposes in one transaction (so in one block).
    @return uint256 The proposal id.
    """
    extcall ICharter(self.charter).join()
    pid: uint256 = extcall ICharter(self.charter).propose(targets, values, calldatas, description)
    self.last_proposal = pid
    return pid


@external
def propose_vote_execute(
    targets: DynArray[address, 10],
    values: DynArray[uint256, 10],
    calldatas: DynArray[Bytes[1024], 10],
    description: bytes32,
):
    """
    @dev Proposes, votes for and executes in one transaction.
    """
    pid: uint256 = extcall ICharter(self.charter).propose(targets, values, calldatas, description)
    extcall ICharter(self.charter).cast_vote(pid, 1)
    extcall ICharter(self.charter).execute(pid, targets, values, calldatas)


@external
def join_and_vote(proposal_id: uint256):
    """
    @dev Joins and votes in one transaction (flash membership).
    @param proposal_id The proposal to vote on.
    """
    extcall ICharter(self.charter).join()
    extcall ICharter(self.charter).cast_vote(proposal_id, 1)


@external
def vote(proposal_id: uint256, support: uint8):
    """
    @dev Votes.
    @param proposal_id The proposal.
    @param support The vote type.
    """
    extcall ICharter(self.charter).cast_vote(proposal_id, support)


@external
def vote_and_execute(
    proposal_id: uint256,
    targets: DynArray[address, 10],
    values: DynArray[uint256, 10],
    calldatas: DynArray[Bytes[1024], 10],
):
    """
    @dev Votes for a proposal and executes it in one transaction.
    """
    extcall ICharter(self.charter).cast_vote(proposal_id, 1)
    extcall ICharter(self.charter).execute(proposal_id, targets, values, calldatas)
