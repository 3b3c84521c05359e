# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Ballots harness
@custom:contract-name BallotsHarness
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Exposes the `ballots` module over real membership, proposals and
        delegation, with a setter for the proposal counter, so that votes on
        proposals of different 128-proposal windows (the member record's
        voted window, the `_voted` words, ids past the window field) can be
        tested without creating thousands of proposals. Test use only.
"""


from modules import membership
from modules import proposals
from modules import delegation
from modules import ballots

initializes: membership
initializes: proposals
initializes: delegation[membership := membership]
initializes: ballots[membership := membership, proposals := proposals, delegation := delegation]


@external
def join(account: address):
    """
    @dev Joins `account` with open admission.
    @param account The joining account.
    """
    membership._join(account, False)


@external
def leave(account: address):
    """
    @dev Makes `account` leave.
    @param account The leaving member.
    """
    membership._leave(account)


@external
def create_at(proposal_id: uint256) -> uint256:
    """
    @dev Creates a week-long MAJORITY proposal whose id is `proposal_id`.
    @param proposal_id The id it gets (the counter is set just below it).
    @return uint256 The id.
    """
    proposals._proposal_count = proposal_id - 1
    rules: proposals.Rules = proposals.Rules(
        level=proposals.MAJORITY,
        bar=0,
        voting_period=7 * 86400,
        execution_window=86400,
        supermajority_num=2,
        supermajority_den=3,
    )
    return proposals._create(msg.sender, rules, empty(bytes32), empty(bytes32))


@external
def cast(proposal_id: uint256, voter: address, support: uint8) -> uint256:
    """
    @dev Casts `voter`'s vote (reverting with the charter's reasons).
    @param proposal_id The proposal id.
    @param voter The voter.
    @param support The vote type.
    @return uint256 The weight counted.
    """
    return ballots._cast(proposal_id, voter, support)


@external
@view
def has_voted(proposal_id: uint256, voter: address) -> bool:
    """
    @dev Whether `voter` voted on `proposal_id`.
    @param proposal_id The proposal id.
    @param voter The voter.
    @return bool True if counted.
    """
    return ballots._has_voted(proposal_id, voter)


@external
@view
def record(account: address) -> uint256:
    """
    @dev The raw member record.
    @param account The account.
    @return uint256 The record.
    """
    return membership._joined[account]


@external
@view
def voted_word(account: address, window: uint256) -> uint256:
    """
    @dev The raw `_voted` word of a window.
    @param account The account.
    @param window The window.
    @return uint256 The word.
    """
    return ballots._voted[account][window]


@external
@view
def tallies(proposal_id: uint256) -> (uint256, uint256, uint256):
    """
    @dev Against, for and abstain of a proposal.
    @param proposal_id The proposal id.
    @return uint256 Against.
    @return uint256 For.
    @return uint256 Abstain.
    """
    p: proposals.Proposal = proposals._get(proposal_id)
    return p.against_votes, p.for_votes, p.abstain_votes
