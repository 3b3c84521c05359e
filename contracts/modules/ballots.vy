# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Counting ballots
@custom:contract-name ballots
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Counts each eligible member's voice at most once per proposal,
        directly or through the delegate they had at the proposal's
        snapshot. A plain vote costs one member read, one read and write of
        the proposal's packed slot, and one voted bit; delegation history is
        read only for members whose record is flagged as having one.
        A delegate's vote weighs one (their own voice) plus the voices they
        carried at the snapshot, less those of delegators who voted directly
        first. A delegator who votes after their delegate takes their voice
        back from the delegate's tally. Either way each voice counts once.
        Which proposals a member voted on lives in their member record, for
        the current window of 128 proposals (`membership.VOTED_SHIFT`): the
        record is read anyway to check eligibility, so a vote costs no slot
        of its own. When a member votes in a newer window, the old window's
        bits move to `_voted` (once per 128 proposals); a vote on a proposal
        of an older window, still open, is kept there too.
        A member that is itself a polity (a charter in a federation) may
        also vote through the current holder of its delegate role (see
        `_cast_as_delegate`): that ballot counts as the member's voice, and
        the member's own vote later replaces it (imperative mandate over
        free mandate), once.
"""


from . import membership
from . import proposals
from . import delegation

uses: membership
uses: proposals
uses: delegation


# @dev Outcomes of trying to count a ballot (a batch reports skipped ones).
COUNTED: constant(uint8) = 0
INVALID_SIGNATURE: constant(uint8) = 1
INVALID_VOTE_TYPE: constant(uint8) = 2
UNKNOWN_PROPOSAL: constant(uint8) = 3
NOT_ACTIVE: constant(uint8) = 4
VOTING_CLOSED: constant(uint8) = 5
NOT_A_MEMBER: constant(uint8) = 6
JOINED_AFTER_PROPOSAL: constant(uint8) = 7
ALREADY_VOTED: constant(uint8) = 8


# @dev Voted bits of windows other than the record's: voter => window => bits.
_voted: HashMap[address, HashMap[uint256, uint256]]


# @dev Per proposal, per delegate: the support they voted plus one (low
# 8 bits; zero until they vote while carrying voices) and the voices
# withheld from them by delegators who voted first (above).
_delegate_record: HashMap[uint256, HashMap[address, uint256]]


# @dev Per proposal, per member polity: the support (plus one) its delegate
# voted for it; zero when no delegate did, or once the member voted itself.
_delegate_ballot: HashMap[uint256, HashMap[address, uint256]]


# @dev The role a member polity names its delegate with: "delegate",
# left-aligned as role books keep names.
DELEGATE_ROLE: constant(bytes32) = 0x64656c6567617465000000000000000000000000000000000000000000000000


# @dev Emitted for every counted vote, as in OpenZeppelin's IGovernor.
event VoteCast:
    voter: indexed(address)
    proposalId: uint256
    support: uint8
    weight: uint256
    reason: String[1]


# @dev Emitted when a delegator's direct vote takes their voice back from
# the tally of a delegate who had already voted.
event DelegateVoteOverridden:
    proposalId: indexed(uint256)
    delegate: indexed(address)
    delegator: indexed(address)


# @dev Emitted when a member polity's delegate votes for it (with the
# `VoteCast` of the member's voice).
event DelegateBallotCast:
    proposalId: indexed(uint256)
    member: indexed(address)
    delegate: indexed(address)


# @dev Emitted when a member polity's own vote replaces its delegate's.
event DelegateBallotReplaced:
    proposalId: indexed(uint256)
    member: indexed(address)


@internal
@view
def _has_voted(proposal_id: uint256, voter: address) -> bool:
    """
    @dev Returns whether `voter` has voted on `proposal_id`.
    @param proposal_id The proposal id.
    @param voter The voter.
    @return bool True if a vote was counted.
    """
    window: uint256 = proposal_id // membership.VOTED_WIDTH
    bit: uint256 = 1 << (proposal_id % membership.VOTED_WIDTH)
    record: uint256 = membership._joined[voter]
    current: uint256 = (record >> membership.WINDOW_SHIFT) & membership.WINDOW_FIELD
    if window == current:
        return (record >> membership.VOTED_SHIFT) & bit != 0
    if window < current or window > membership.WINDOW_FIELD:
        return self._voted[voter][window] & bit != 0
    return False


@internal
def _cast(proposal_id: uint256, voter: address, support: uint8) -> uint256:
    """
    @dev Counts `voter`'s voice, reverting with the reason if it cannot.
    @param proposal_id The proposal id.
    @param voter The member voting.
    @param support AGAINST, FOR or ABSTAIN.
    @return uint256 The weight counted.
    """
    outcome: uint8 = 0
    weight: uint256 = 0
    outcome, weight = self._try_cast(proposal_id, voter, support)
    assert outcome != INVALID_VOTE_TYPE, "charter: invalid vote type"
    assert outcome != UNKNOWN_PROPOSAL, "charter: unknown proposal"
    assert outcome != NOT_ACTIVE, "charter: proposal not active"
    assert outcome != VOTING_CLOSED, "charter: voting closed"
    assert outcome != NOT_A_MEMBER, "charter: not a member"
    assert outcome != JOINED_AFTER_PROPOSAL, "charter: joined after proposal"
    assert outcome != ALREADY_VOTED, "charter: already voted"
    return weight


@internal
def _try_cast(proposal_id: uint256, voter: address, support: uint8) -> (uint8, uint256):
    """
    @dev Counts `voter`'s voice if it may be counted; changes nothing and
         returns why not otherwise.
    @param proposal_id The proposal id.
    @param voter The member voting.
    @param support AGAINST, FOR or ABSTAIN.
    @return uint8 COUNTED or the reason it was not.
    @return uint256 The weight counted.
    """
    if support > proposals.VOTE_ABSTAIN:
        return INVALID_VOTE_TYPE, 0
    w: uint256 = proposals._core[proposal_id]
    if w == 0:
        return UNKNOWN_PROPOSAL, 0
    if (w >> proposals.CANCELED_BIT) & 1 != 0:
        return NOT_ACTIVE, 0
    # `expiry._in_force`, inline: the vote path pays no call.
    if block.timestamp >= (w >> proposals.VOTE_END_SHIFT) & proposals.MASK40:
        return VOTING_CLOSED, 0
    joined: uint256 = membership._joined[voter]
    if joined & membership.JOIN_MASK == 0:
        return NOT_A_MEMBER, 0
    # Flash membership: only members who joined in an earlier block count.
    snapshot: uint256 = (w >> proposals.SNAPSHOT_SHIFT) & proposals.MASK40
    if joined & membership.JOINED_BLOCK_MASK >= snapshot:
        return JOINED_AFTER_PROPOSAL, 0
    if not self._mark_voted(proposal_id, voter, joined):
        prior: uint256 = self._delegate_ballot[proposal_id][voter]
        if prior == 0:
            return ALREADY_VOTED, 0
        return COUNTED, self._replace_delegate_ballot(proposal_id, voter, support, prior, w, joined)

    weight: uint256 = 1
    if joined & membership.CARRIES_VOICES != 0:
        carried: uint256 = delegation._carried_before(voter, snapshot)
        if carried != 0:
            record: uint256 = self._delegate_record[proposal_id][voter]
            # Withheld voices are delegators of this voter at the snapshot,
            # so they never exceed the voices carried.
            weight = 1 + carried - (record >> 8)
            self._delegate_record[proposal_id][voter] = record | (convert(support, uint256) + 1)
    if joined & membership.HAS_DELEGATED != 0:
        to: address = delegation._delegate_before(voter, snapshot)
        if to != empty(address):
            record: uint256 = self._delegate_record[proposal_id][to]
            voted: uint256 = record & 255
            if voted != 0:
                # The delegate counted this voice already: take it back.
                w = unsafe_sub(w, 1 << (32 * (voted - 1)))
                log DelegateVoteOverridden(proposalId=proposal_id, delegate=to, delegator=voter)
            # Withheld either way, so the delegate's weight now is always
            # 1 + carried - withheld (a replaced delegate ballot needs it).
            self._delegate_record[proposal_id][to] = record + 256
    # Each eligible voice counts once and members are fewer than 2**32, so a
    # 32-bit tally never carries into its neighbour.
    proposals._core[proposal_id] = unsafe_add(w, weight << (32 * convert(support, uint256)))
    log VoteCast(voter=voter, proposalId=proposal_id, support=support, weight=weight, reason="")
    return COUNTED, weight


@internal
def _cast_as_delegate(proposal_id: uint256, member: address, support: uint8) -> uint256:
    """
    @dev Counts member polity `member`'s voice, cast by the caller as the
         current holder of its delegate role. One delegate ballot per
         member and proposal; the member's own vote replaces it.
    @param proposal_id The proposal id.
    @param member The member polity.
    @param support AGAINST, FOR or ABSTAIN.
    @return uint256 The weight counted.
    """
    # A member that is no polity (an account without code) answers nothing.
    ok: bool = False
    answer: Bytes[32] = b""
    ok, answer = raw_call(
        member,
        abi_encode(DELEGATE_ROLE, msg.sender, method_id=method_id("holds_role(bytes32,address)")),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert ok and len(answer) == 32 and convert(answer, uint256) == 1, "charter: not a delegate of the member"
    assert not self._has_voted(proposal_id, member), "charter: already voted"
    weight: uint256 = self._cast(proposal_id, member, support)
    self._delegate_ballot[proposal_id][member] = convert(support, uint256) + 1
    log DelegateBallotCast(proposalId=proposal_id, member=member, delegate=msg.sender)
    return weight


@internal
def _replace_delegate_ballot(
    proposal_id: uint256, member: address, support: uint8, prior: uint256, w: uint256, joined: uint256
) -> uint256:
    """
    @dev Moves member polity `member`'s voice from what its delegate voted
         to what it votes itself.
    @param proposal_id The proposal id.
    @param member The member, voting itself.
    @param support AGAINST, FOR or ABSTAIN.
    @param prior The delegate ballot's support plus one.
    @param w The proposal's packed slot, as read.
    @param joined The member's record, as read.
    @return uint256 The weight moved.
    """
    weight: uint256 = 1
    if joined & membership.CARRIES_VOICES != 0:
        snapshot: uint256 = (w >> proposals.SNAPSHOT_SHIFT) & proposals.MASK40
        carried: uint256 = delegation._carried_before(member, snapshot)
        if carried != 0:
            record: uint256 = self._delegate_record[proposal_id][member]
            weight = 1 + carried - (record >> 8)
            # Delegators who vote later take their voice back from the new support.
            self._delegate_record[proposal_id][member] = (record & ~convert(255, uint256)) | (
                convert(support, uint256) + 1
            )
    moved: uint256 = unsafe_sub(w, weight << (32 * (prior - 1)))
    proposals._core[proposal_id] = unsafe_add(moved, weight << (32 * convert(support, uint256)))
    self._delegate_ballot[proposal_id][member] = 0
    log DelegateBallotReplaced(proposalId=proposal_id, member=member)
    log VoteCast(voter=member, proposalId=proposal_id, support=support, weight=weight, reason="")
    return weight


@internal
@view
def _voted_by_delegate(proposal_id: uint256, member: address) -> bool:
    """
    @dev Returns whether `member`'s voice on `proposal_id` was cast by its
         delegate and not (yet) replaced by the member's own vote.
    @param proposal_id The proposal id.
    @param member The member polity.
    @return bool True while the delegate's ballot stands.
    """
    return self._delegate_ballot[proposal_id][member] != 0


@internal
def _mark_voted(proposal_id: uint256, voter: address, record: uint256) -> bool:
    """
    @dev Sets `voter`'s voted bit for `proposal_id`, in the member record's
         window or in `_voted`.
    @param proposal_id The proposal id.
    @param voter The voter.
    @param record The voter's member record, as read.
    @return bool False (and nothing written) if it was set already.
    """
    window: uint256 = proposal_id // membership.VOTED_WIDTH
    bit: uint256 = 1 << (proposal_id % membership.VOTED_WIDTH)
    current: uint256 = (record >> membership.WINDOW_SHIFT) & membership.WINDOW_FIELD
    if window == current:
        if (record >> membership.VOTED_SHIFT) & bit != 0:
            return False
        membership._joined[voter] = record | (bit << membership.VOTED_SHIFT)
        return True
    if window > current and window <= membership.WINDOW_FIELD:
        # A newer window: the record's bits move to `_voted`, for proposals of
        # the old window that may still be open. (No bit of this window can
        # be in `_voted`: it only ever holds windows older than the record's.)
        old: uint256 = (record >> membership.VOTED_SHIFT) & membership.VOTED_FIELD
        if old != 0:
            self._voted[voter][current] |= old
        kept: uint256 = record & ~(
            (membership.VOTED_FIELD << membership.VOTED_SHIFT)
            | (membership.WINDOW_FIELD << membership.WINDOW_SHIFT)
        )
        membership._joined[voter] = (
            kept | (window << membership.WINDOW_SHIFT) | (bit << membership.VOTED_SHIFT)
        )
        return True
    # An older window (or ids beyond the window field's reach): `_voted`.
    bits: uint256 = self._voted[voter][window]
    if bits & bit != 0:
        return False
    self._voted[voter][window] = bits | bit
    return True
