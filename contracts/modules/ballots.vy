# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Counting ballots
@custom:contract-name ballots
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Counts each eligible member's voice at most once per proposal. A
        vote costs one member read, one read and write of the proposal's
        packed slot, and one voted bit. The voted bits of a member live in
        words of 255 proposals each; the top bit of a word is a sentinel set
        when the word is first written (at joining, for the current word), so
        that most votes flip a bit in a word that is already non-zero instead
        of paying for a fresh storage slot.
"""


from . import membership
from . import proposals

uses: membership
uses: proposals


# @dev Proposals per voted-bits word, and the sentinel bit.
_BITS_PER_WORD: constant(uint256) = 255
_SENTINEL: constant(uint256) = 1 << 255


# @dev Voted bits: voter => word index => bits.
_voted: HashMap[address, HashMap[uint256, uint256]]


# @dev Emitted for every counted vote, as in OpenZeppelin's IGovernor.
event VoteCast:
    voter: indexed(address)
    proposalId: uint256
    support: uint8
    weight: uint256
    reason: String[1]


@internal
def _prewarm(voter: address):
    """
    @dev Sets the sentinel of the voted word for upcoming proposals, so the
         member's first vote on them writes a non-zero slot.
    @param voter The new member.
    """
    key: uint256 = (proposals._proposal_count + 1) // _BITS_PER_WORD
    self._voted[voter][key] |= _SENTINEL


@internal
@view
def _has_voted(proposal_id: uint256, voter: address) -> bool:
    """
    @dev Returns whether `voter` has voted on `proposal_id`.
    @param proposal_id The proposal id.
    @param voter The voter.
    @return bool True if a vote was counted.
    """
    bit: uint256 = 1 << (proposal_id % _BITS_PER_WORD)
    return self._voted[voter][proposal_id // _BITS_PER_WORD] & bit != 0


@internal
def _cast(proposal_id: uint256, voter: address, support: uint8):
    """
    @dev Counts `voter`'s voice on an active proposal.
    @param proposal_id The proposal id.
    @param voter The member voting.
    @param support AGAINST, FOR or ABSTAIN.
    """
    assert support <= proposals.VOTE_ABSTAIN, "charter: invalid vote type"
    w: uint256 = proposals._core[proposal_id]
    assert w != 0, "charter: unknown proposal"
    assert (w >> proposals.CANCELED_BIT) & 1 == 0, "charter: proposal not active"
    assert block.timestamp < (w >> proposals.VOTE_END_SHIFT) & proposals.MASK40, "charter: voting closed"
    joined: uint256 = membership._joined[voter]
    assert joined != 0, "charter: not a member"
    # Flash membership: only members who joined in an earlier block count.
    assert joined & membership.JOINED_BLOCK_MASK < (w >> proposals.SNAPSHOT_SHIFT) & proposals.MASK40, "charter: joined after proposal"
    key: uint256 = proposal_id // _BITS_PER_WORD
    bit: uint256 = 1 << (proposal_id % _BITS_PER_WORD)
    bits: uint256 = self._voted[voter][key]
    assert bits & bit == 0, "charter: already voted"
    self._voted[voter][key] = bits | bit | _SENTINEL
    # Each eligible member adds one, once, and members are fewer than 2**32,
    # so a 32-bit tally never carries into its neighbour.
    proposals._core[proposal_id] = unsafe_add(w, 1 << (32 * convert(support, uint256)))
    log VoteCast(voter=voter, proposalId=proposal_id, support=support, weight=1, reason="")
