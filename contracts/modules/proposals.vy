# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Proposal records and their lifecycle
@custom:contract-name proposals
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Each proposal lives in one packed slot that holds its tallies, its
        timing and every rule it will be judged by (quorum or allowed
        objections, supermajority fraction, execution window, stakes level),
        all fixed when it is created: later parameter changes never touch an
        existing proposal. A vote reads and writes only that slot.
        Lifecycle (numbered as OpenZeppelin's `IGovernor.ProposalState`):
        ACTIVE until the voting period ends, then SUCCEEDED or DEFEATED by
        its stakes level; a SUCCEEDED proposal is EXECUTED once within its
        window or EXPIRED after it; its proposer may CANCEL it before any vote.
        Ids are sequential, and the proposer is recorded, so a copied
        proposal is a different proposal that only its own proposer controls.
"""


# @dev Voting open while now < vote_end; execution while now < deadline.
from modules import expiry


# @dev Bounds of a proposal's actions, shared with the SDK.
MAX_ACTIONS: constant(uint256) = 10
MAX_CALLDATA: constant(uint256) = 1024


# @dev Stakes levels: what a proposal must reach to pass.
CONSENT: constant(uint8) = 1
MAJORITY: constant(uint8) = 2
SUPERMAJORITY: constant(uint8) = 3


# @dev Proposal states, numbered as in OpenZeppelin's IGovernor.
ACTIVE: constant(uint8) = 1
CANCELED: constant(uint8) = 2
DEFEATED: constant(uint8) = 3
SUCCEEDED: constant(uint8) = 4
EXPIRED: constant(uint8) = 6
EXECUTED: constant(uint8) = 7


# @dev Vote types, as in OpenZeppelin's GovernorCountingSimple.
VOTE_AGAINST: constant(uint8) = 0
VOTE_FOR: constant(uint8) = 1
VOTE_ABSTAIN: constant(uint8) = 2


# @dev Bit offsets of the packed proposal slot. The three tallies come
# first, 32 bits each, at `32 * support`, so a vote adds `1 << (32 * support)`.
_AGAINST_SHIFT: constant(uint256) = 0
_FOR_SHIFT: constant(uint256) = 32
_ABSTAIN_SHIFT: constant(uint256) = 64
SNAPSHOT_SHIFT: constant(uint256) = 96  # 40 bits: creation block number
VOTE_END_SHIFT: constant(uint256) = 136  # 40 bits
_WINDOW_SHIFT: constant(uint256) = 176  # 32 bits: execution window, seconds
_BAR_SHIFT: constant(uint256) = 208  # 32 bits: quorum votes, or allowed objections
_LEVEL_SHIFT: constant(uint256) = 240  # 2 bits
_EXECUTED_BIT: constant(uint256) = 242
CANCELED_BIT: constant(uint256) = 243
_SUPER_NUM_SHIFT: constant(uint256) = 244  # 6 bits
_SUPER_DEN_SHIFT: constant(uint256) = 250  # 6 bits
MASK32: constant(uint256) = 2**32 - 1
MASK40: constant(uint256) = 2**40 - 1
_MASK6: constant(uint256) = 2**6 - 1


# @dev A proposal as the outside world sees it.
struct Proposal:
    proposer: address
    against_votes: uint256
    for_votes: uint256
    abstain_votes: uint256
    snapshot: uint256  # the block it was created in
    vote_end: uint256
    execution_deadline: uint256
    level: uint8
    bar: uint256
    supermajority_num: uint256
    supermajority_den: uint256
    executed: bool
    canceled: bool


# @dev The rules a new proposal is created with.
struct Rules:
    level: uint8
    bar: uint256
    voting_period: uint256
    execution_window: uint256
    supermajority_num: uint256
    supermajority_den: uint256


# @dev Each proposal's packed slot (see the offsets above); ids start at 1.
_core: HashMap[uint256, uint256]


# @dev Each proposal's proposer: the only account that may cancel it.
_proposer: HashMap[uint256, address]


# @dev keccak256(abi_encode(targets, values, calldatas)) of each proposal.
_actions_hash: HashMap[uint256, bytes32]


# @dev keccak256 of the code hashes of each proposal's targets at creation;
# zero when every target is the charter itself (whose code cannot change).
_code_digest: HashMap[uint256, bytes32]


# @dev The number of proposals ever created.
_proposal_count: uint256


@internal
def _create(
    proposer: address, rules: Rules, actions_hash: bytes32, code_digest: bytes32
) -> uint256:
    """
    @dev Records a new proposal, active from now.
    @param proposer The member proposing.
    @param rules The rules fixed for this proposal.
    @param actions_hash The hash of its actions.
    @param code_digest The digest of its targets' code hashes.
    @return uint256 The new proposal id.
    """
    proposal_id: uint256 = self._proposal_count + 1
    self._proposal_count = proposal_id
    self._core[proposal_id] = (
        (block.number << SNAPSHOT_SHIFT)
        | ((block.timestamp + rules.voting_period) << VOTE_END_SHIFT)
        | (rules.execution_window << _WINDOW_SHIFT)
        | (rules.bar << _BAR_SHIFT)
        | (convert(rules.level, uint256) << _LEVEL_SHIFT)
        | (rules.supermajority_num << _SUPER_NUM_SHIFT)
        | (rules.supermajority_den << _SUPER_DEN_SHIFT)
    )
    self._proposer[proposal_id] = proposer
    self._actions_hash[proposal_id] = actions_hash
    if code_digest != empty(bytes32):
        self._code_digest[proposal_id] = code_digest
    return proposal_id


@internal
@view
def _get(proposal_id: uint256) -> Proposal:
    """
    @dev Returns a proposal, reverting if it does not exist.
    @param proposal_id The proposal id.
    @return Proposal The unpacked proposal.
    """
    w: uint256 = self._core[proposal_id]
    assert w != 0, "charter: unknown proposal"
    vote_end: uint256 = (w >> VOTE_END_SHIFT) & MASK40
    return Proposal(
        proposer=self._proposer[proposal_id],
        against_votes=(w >> _AGAINST_SHIFT) & MASK32,
        for_votes=(w >> _FOR_SHIFT) & MASK32,
        abstain_votes=(w >> _ABSTAIN_SHIFT) & MASK32,
        snapshot=(w >> SNAPSHOT_SHIFT) & MASK40,
        vote_end=vote_end,
        execution_deadline=vote_end + ((w >> _WINDOW_SHIFT) & MASK32),
        level=convert((w >> _LEVEL_SHIFT) & 3, uint8),
        bar=(w >> _BAR_SHIFT) & MASK32,
        supermajority_num=(w >> _SUPER_NUM_SHIFT) & _MASK6,
        supermajority_den=(w >> _SUPER_DEN_SHIFT) & _MASK6,
        executed=(w >> _EXECUTED_BIT) & 1 == 1,
        canceled=(w >> CANCELED_BIT) & 1 == 1,
    )


@internal
@pure
def _passed(p: Proposal) -> bool:
    """
    @dev Returns whether the final tallies meet the proposal's stakes level.
    @param p The proposal.
    @return bool True if it passed.
    """
    if p.level == CONSENT:
        # Consent: passes unless objections exceed what is allowed.
        return p.against_votes <= p.bar
    turnout: uint256 = p.against_votes + p.for_votes + p.abstain_votes
    if turnout < p.bar:
        return False
    if p.level == MAJORITY:
        return p.for_votes > p.against_votes
    # Supermajority: for / (for + against) >= num / den, and someone voted for.
    return (
        p.for_votes != 0
        and p.for_votes * p.supermajority_den
        >= p.supermajority_num * (p.for_votes + p.against_votes)
    )


@internal
@view
def _state_of(p: Proposal) -> uint8:
    """
    @dev Returns the state of a proposal now.
    @param p The proposal.
    @return uint8 The state.
    """
    if p.executed:
        return EXECUTED
    if p.canceled:
        return CANCELED
    if expiry._in_force(p.vote_end):
        return ACTIVE
    if not self._passed(p):
        return DEFEATED
    if not expiry._in_force(p.execution_deadline):
        return EXPIRED
    return SUCCEEDED


@internal
def _mark_executed(proposal_id: uint256):
    """
    @dev Marks a proposal executed (before its actions run).
    @param proposal_id The proposal id.
    """
    self._core[proposal_id] |= 1 << _EXECUTED_BIT


@internal
def _mark_canceled(proposal_id: uint256):
    """
    @dev Marks a proposal canceled.
    @param proposal_id The proposal id.
    """
    self._core[proposal_id] |= 1 << CANCELED_BIT
