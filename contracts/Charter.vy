# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
# pragma experimental-codegen
# pragma optimize codesize
"""
@title Charter
@custom:contract-name Charter
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A voluntary community's charter: members (one address, one voice),
        revocable delegation, and proposals that decide everything, with the
        stakes a proposal needs derived from what it does. Its clauses, which
        expire unless renewed, live in its own `ClauseBook`, and its roles
        (short, rotating, recallable mandates) in its own `RoleBook`, both
        changed only by the charter's proposals.
        Who may call what:
        - anyone: `join` (when admission is open, or when invited), `execute`
          (a succeeded proposal, once, within its window), every view;
        - a member: `leave` (always), `propose`, `cast_vote`, `delegate`,
          `undelegate`, `sponsor` (when admission is by sponsorship);
        - anyone, for a member who signed: `cast_vote_by_sig`,
          `cast_votes_by_sig`;
        - a proposal's proposer: `cancel`, before any vote;
        - the charter itself, through an executed proposal: `admit`,
          `set_concord`, `set_parameters`, `set_stakes` (and the clause
          and role books' functions).
        Charters and their clause and role books are deployed as minimal proxies by
        the `CharterFactory`, which initialises both in the transaction that
        creates them.
        Events follow OpenZeppelin Governor where it has one (`ProposalCreated`,
        `VoteCast`, `ProposalExecuted`, `ProposalCanceled`), and the clock is
        ERC-6372 timestamp mode.
@custom:security Actions run by CALL, never DELEGATECALL, all or none. A
        proposal records its actions' hash and what its targets run (their
        code hashes, and the implementation and beacon a proxy names), and
        refuses to execute if any changed since (a metamorphic target, a proxy
        upgrade). The quorum base, the delegations and eligibility are all
        read at one instant, the end of the block before the proposal. Governance functions are `@reentrant` only so that `execute`
        (which holds the lock) can call them on the charter itself; they refuse
        every other caller. `leave` is `@reentrant` because exit must never be
        blocked, and it touches only the caller's own record. The views
        `is_member`, `joined_block`, `book` and `holds_role` are
        `@reentrant` so that the charter's own books and funds can ask them
        while a proposal runs (appointing a member, creating a fund); they
        read state no action leaves half-written.
"""


# @dev What an upgradeable proxy or a beacon may answer about itself
# (EIP-897 / EIP-1967 beacons); asked with a stipend, never trusted to answer.
interface IUpgradeable:
    def implementation() -> address: view
    def beacon() -> address: view


# @dev The polity interface other contracts (books, funds, courts, treaties)
# read a charter through, and the narrower one a fund asks its owner.
from interfaces import ICharter
from interfaces import IPolity

implements: ICharter
implements: IPolity


# @dev The role book, which the charter asks `holds_role` of.
from interfaces import IRoleBook


# @dev The charter's building blocks.
from snekmate.utils import eip712_domain_separator
from modules import params
from modules import membership
from modules import proposals
from modules import delegation
from modules import ballots
from modules import signed_ballots
from modules import stakes
from modules import books

initializes: eip712_domain_separator
initializes: params
initializes: membership
initializes: proposals
initializes: delegation[membership := membership]
initializes: ballots[membership := membership, proposals := proposals, delegation := delegation]
initializes: signed_ballots[eip712_domain_separator := eip712_domain_separator]
initializes: stakes
initializes: books[stakes := stakes]


# @dev ERC-5267: the EIP-712 domain of signed ballots. Nothing else of
# the building blocks is exported: the charter's own functions wrap them.
exports: eip712_domain_separator.eip712Domain


# ------------------------------------------------------------------
#                            CONSTANTS
# ------------------------------------------------------------------

# @dev The most founders a charter can start with.
MAX_FOUNDERS: constant(uint256) = 64


# @dev The most characters in a charter's name.
MAX_NAME_LENGTH: constant(uint256) = 64


# @dev The most signed ballots relayed in one transaction.
MAX_BATCH: constant(uint256) = 128


# @dev The gas a target may use to say which implementation or beacon it
# delegates to (a storage read and a return).
_PROBE_GAS: constant(uint256) = 20_000


# @dev Code hash of an account without code (`keccak256(b"")`); the EVM
# reports zero for an account that does not exist yet, which we treat alike.
_EMPTY_CODE_HASH: constant(bytes32) = keccak256(b"")


# @dev Selectors of the charter's own governance functions, for the stakes
# table (each book lists its own: `IBook.default_stakes`).
_ADMIT: constant(bytes4) = method_id("admit(address)", output_type=bytes4)
_ADD_BOOK: constant(bytes4) = method_id("add_book(uint8,address)", output_type=bytes4)
_SET_CONCORD: constant(bytes4) = method_id("set_concord(bytes32)", output_type=bytes4)
_SET_STAKES: constant(bytes4) = method_id("set_stakes(address,bytes4,uint8)", output_type=bytes4)
_SET_PARAMETERS: constant(bytes4) = method_id(
    "set_parameters((uint256,uint256,uint256,uint256,uint256,uint256,uint8))", output_type=bytes4
)


# ------------------------------------------------------------------
#                             STRUCTS
# ------------------------------------------------------------------

# @dev A ballot signed by its voter, as a relayer submits it.
struct SignedBallot:
    proposal_id: uint256
    support: uint8
    voter: address
    signature: Bytes[65]


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev Set once: at construction for the implementation (so nobody can
# initialise it), at initialisation for each proxy.
_initialized: bool


# @dev The charter's name.
_name: String[MAX_NAME_LENGTH]


# @dev The founding concord's CID digest.
_concord: bytes32


# @dev When the charter was founded.
_founded_at: uint256


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

# @dev Emitted once, when the charter is founded.
event CharterFounded:
    name: String[MAX_NAME_LENGTH]
    concord: bytes32
    founders: uint256


# @dev Emitted when the concord is replaced.
event ConcordUpdated:
    old: bytes32
    new: bytes32


# @dev As OpenZeppelin's IGovernor; `description` is empty, the document
# is in the `ProposalDocument` event that follows it.
event ProposalCreated:
    proposalId: uint256
    proposer: address
    targets: DynArray[address, proposals.MAX_ACTIONS]
    values: DynArray[uint256, proposals.MAX_ACTIONS]
    signatures: DynArray[String[1], proposals.MAX_ACTIONS]
    calldatas: DynArray[Bytes[proposals.MAX_CALLDATA], proposals.MAX_ACTIONS]
    voteStart: uint256
    voteEnd: uint256
    description: String[1]


# @dev The proposal's description document and the stakes level it needs.
event ProposalDocument:
    proposalId: indexed(uint256)
    document: bytes32
    level: uint8


# @dev A relayed ballot a batch skipped, and why (`ballots` outcome codes:
# 1 invalid signature, 2 invalid vote type, 3 unknown proposal, 4 not
# active, 5 voting closed, 6 not a member, 7 joined after proposal,
# 8 already voted).
event BallotSkipped:
    proposalId: indexed(uint256)
    voter: indexed(address)
    reason: uint8


# @dev As OpenZeppelin's IGovernor.
event ProposalExecuted:
    proposalId: uint256


# @dev As OpenZeppelin's IGovernor.
event ProposalCanceled:
    proposalId: uint256


# ------------------------------------------------------------------
#                           CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
@payable
def __init__():
    """
    @dev Locks the implementation: only proxies are ever initialised.
         Sets the EIP-712 domain name and version, which live in the
         implementation's code and so are shared by every proxy (the
         domain still binds each proxy's own address and the chain id).
         Payable only because snekmate's domain constructor is.
    """
    self._initialized = True
    eip712_domain_separator.__init__("Panarchy Charter", "1")


@external
def initialize(
    name: String[MAX_NAME_LENGTH],
    concord: bytes32,
    founders: DynArray[address, MAX_FOUNDERS],
    parameters: params.Params,
    founding_books: DynArray[books.Book, books.MAX_BOOKS],
):
    """
    @dev Founds the charter; runs once, in the factory's creating transaction.
    @param name The charter's name.
    @param concord The founding concord's CID digest.
    @param founders The founding members.
    @param parameters The charter's parameters.
    @param founding_books The charter's books (its clause book, its role
           book), made and initialised for it by the factory.
    """
    assert not self._initialized, "charter: already initialized"
    self._initialized = True
    assert len(name) != 0, "charter: empty name"
    assert concord != empty(bytes32), "charter: empty document"
    assert len(founders) != 0, "charter: no founders"
    params._set(parameters)
    self._name = name
    self._concord = concord
    self._founded_at = block.timestamp
    for founder: address in founders:
        assert founder != empty(address), "charter: zero address"
        membership._join(founder, False)
    # Admitting is MAJORITY (with quorum), never CONSENT: under consent, a
    # proposal nobody looks at would let its author admit anyone by silence.
    stakes._set(self, _ADMIT, proposals.MAJORITY)
    stakes._entrench(self, _ADD_BOOK)
    stakes._entrench(self, _SET_CONCORD)
    stakes._entrench(self, _SET_STAKES)
    stakes._entrench(self, _SET_PARAMETERS)
    for entry: books.Book in founding_books:
        books._add(entry.kind, entry.book, True)
    log CharterFounded(name=name, concord=concord, founders=len(founders))


# ------------------------------------------------------------------
#                            MEMBERSHIP
# ------------------------------------------------------------------

@external
def join():
    """
    @dev Joins the charter: open admission, or an invitation to accept.
    """
    membership._join(msg.sender, params._get().admission != params.OPEN)


@external
@reentrant
def leave():
    """
    @dev Leaves the charter. Always possible; nothing can block it.
         Votes already counted stay counted.
    """
    if delegation._delegate_of(msg.sender) != empty(address):
        delegation._change_delegate(msg.sender, empty(address))
    membership._leave(msg.sender)


@external
def delegate(to: address):
    """
    @dev Hands the caller's voice to another member, from the next block
         on; revocable at any moment, and the caller's own vote always
         overrides it.
    @param to The member who will carry the voice.
    """
    membership._check_member(msg.sender)
    assert to != msg.sender, "charter: cannot delegate to self"
    assert membership._is_member(to), "charter: delegate not a member"
    delegation._change_delegate(msg.sender, to)


@external
def undelegate():
    """
    @dev Takes the caller's voice back from their delegate.
    """
    membership._check_member(msg.sender)
    delegation._change_delegate(msg.sender, empty(address))


@external
def sponsor(account: address):
    """
    @dev Invites `account`, as a member, when admission is by sponsorship.
    @param account The account to sponsor.
    """
    membership._check_member(msg.sender)
    assert params._get().admission == params.BY_SPONSORSHIP, "charter: sponsorship not allowed"
    membership._invite(account, msg.sender)


# ------------------------------------------------------------------
#                            PROPOSALS
# ------------------------------------------------------------------

@external
def propose(
    targets: DynArray[address, proposals.MAX_ACTIONS],
    values: DynArray[uint256, proposals.MAX_ACTIONS],
    calldatas: DynArray[Bytes[proposals.MAX_CALLDATA], proposals.MAX_ACTIONS],
    description: bytes32,
) -> uint256:
    """
    @dev Proposes actions; voting opens now and lasts the voting period.
    @param targets The contracts (or accounts) to call.
    @param values The wei to send with each call.
    @param calldatas The calldata of each call.
    @param description The description document's CID digest.
    @return uint256 The proposal id.
    """
    membership._check_member(msg.sender)
    n: uint256 = len(targets)
    assert n != 0, "charter: no actions"
    assert len(values) == n and len(calldatas) == n, "charter: action length mismatch"
    assert description != empty(bytes32), "charter: empty document"
    level: uint8 = stakes._of_actions(targets, values, calldatas)
    p: params.Params = params._get()
    bar: uint256 = p.consent_max_objections
    if level != proposals.CONSENT:
        # Quorum in votes, rounded up, of the members at the snapshot: the
        # end of the previous block, the instant delegations are read at too,
        # so that no voice counts that the quorum base does not.
        bar = (membership._member_count_before_block() * p.quorum_bps + params.BPS - 1) // params.BPS
    rules: proposals.Rules = proposals.Rules(
        level=level,
        bar=bar,
        voting_period=p.voting_period,
        execution_window=p.execution_window,
        supermajority_num=p.supermajority_num,
        supermajority_den=p.supermajority_den,
    )
    actions_hash: bytes32 = keccak256(abi_encode(targets, values, calldatas))
    proposal_id: uint256 = proposals._create(
        msg.sender, rules, actions_hash, self._code_digest(targets)
    )
    signatures: DynArray[String[1], proposals.MAX_ACTIONS] = []
    for i: uint256 in range(n, bound=proposals.MAX_ACTIONS):
        signatures.append("")
    log ProposalCreated(
        proposalId=proposal_id,
        proposer=msg.sender,
        targets=targets,
        values=values,
        signatures=signatures,
        calldatas=calldatas,
        voteStart=block.timestamp,
        voteEnd=block.timestamp + p.voting_period,
        description="",
    )
    log ProposalDocument(proposalId=proposal_id, document=description, level=level)
    return proposal_id


@external
def cast_vote(proposal_id: uint256, support: uint8) -> uint256:
    """
    @dev Votes on an active proposal: 0 against, 1 for, 2 abstain.
    @param proposal_id The proposal id.
    @param support The vote type.
    @return uint256 The weight counted: one voice, plus any it carries.
    """
    return ballots._cast(proposal_id, msg.sender, support)


@external
def cast_vote_as_delegate(member: address, proposal_id: uint256, support: uint8) -> uint256:
    """
    @dev Votes for member polity `member` (a charter in a federation), as
         the current holder of its "delegate" role: a free mandate that ends
         with the role's term or a recall. The member's own vote replaces
         it.
    @param member The member polity.
    @param proposal_id The proposal id.
    @param support The vote type.
    @return uint256 The weight counted.
    """
    return ballots._cast_as_delegate(proposal_id, member, support)


@external
def cast_vote_by_sig(
    proposal_id: uint256, support: uint8, voter: address, signature: Bytes[65]
) -> uint256:
    """
    @dev Counts a ballot the voter signed (EIP-712), relayed by anyone.
    @param proposal_id The proposal id.
    @param support The vote type.
    @param voter The member who signed.
    @param signature The voter's signature (ECDSA, or ERC-1271 for a contract).
    @return uint256 The weight counted.
    """
    signed_ballots._check_signed(voter, signed_ballots._digest(proposal_id, support, voter), signature)
    return ballots._cast(proposal_id, voter, support)


@external
def cast_votes_by_sig(
    signed: DynArray[SignedBallot, MAX_BATCH], all_or_nothing: bool
) -> uint256:
    """
    @dev Counts many signed ballots in one transaction. A ballot that
         cannot count is skipped and reported in `BallotSkipped`, unless
         `all_or_nothing`, when it reverts the whole batch with its reason.
    @param signed The signed ballots.
    @param all_or_nothing Whether one bad ballot sinks the batch.
    @return uint256 How many ballots were counted.
    """
    counted: uint256 = 0
    for b: SignedBallot in signed:
        digest: bytes32 = signed_ballots._digest(b.proposal_id, b.support, b.voter)
        if all_or_nothing:
            signed_ballots._check_signed(b.voter, digest, b.signature)
            ballots._cast(b.proposal_id, b.voter, b.support)
            counted += 1
            continue
        outcome: uint8 = ballots.INVALID_SIGNATURE
        weight: uint256 = 0
        if signed_ballots._is_valid(b.voter, digest, b.signature):
            outcome, weight = ballots._try_cast(b.proposal_id, b.voter, b.support)
        if outcome == ballots.COUNTED:
            counted += 1
        else:
            log BallotSkipped(proposalId=b.proposal_id, voter=b.voter, reason=outcome)
    return counted


@external
def cancel(proposal_id: uint256):
    """
    @dev Cancels an active proposal before anyone voted; proposer only.
    @param proposal_id The proposal id.
    """
    p: proposals.Proposal = proposals._get(proposal_id)
    assert msg.sender == p.proposer, "charter: not the proposer"
    # A proposer who left speaks for nobody here any more.
    membership._check_member(msg.sender)
    assert proposals._state_of(p) == proposals.ACTIVE, "charter: proposal not active"
    assert p.for_votes + p.against_votes + p.abstain_votes == 0, "charter: votes already cast"
    proposals._mark_canceled(proposal_id)
    log ProposalCanceled(proposalId=proposal_id)


@external
@payable
def execute(
    proposal_id: uint256,
    targets: DynArray[address, proposals.MAX_ACTIONS],
    values: DynArray[uint256, proposals.MAX_ACTIONS],
    calldatas: DynArray[Bytes[proposals.MAX_CALLDATA], proposals.MAX_ACTIONS],
):
    """
    @dev Executes a succeeded proposal within its window: every action, or
         none. Anyone may call it; it runs once.
    @param proposal_id The proposal id.
    @param targets The proposal's targets, as proposed.
    @param values The proposal's values, as proposed.
    @param calldatas The proposal's calldatas, as proposed.
    """
    p: proposals.Proposal = proposals._get(proposal_id)
    self._check_succeeded(proposals._state_of(p))
    actions_hash: bytes32 = keccak256(abi_encode(targets, values, calldatas))
    assert actions_hash == proposals._actions_hash[proposal_id], "charter: actions do not match"
    code_digest: bytes32 = self._code_digest(targets)
    assert code_digest == proposals._code_digest[proposal_id], "charter: target code changed"
    proposals._mark_executed(proposal_id)
    for i: uint256 in range(len(targets), bound=proposals.MAX_ACTIONS):
        target: address = targets[i]
        if len(calldatas[i]) != 0:
            assert target.is_contract, "charter: target has no code"
        assert values[i] <= self.balance, "charter: insufficient balance"
        raw_call(target, calldatas[i], value=values[i])
    log ProposalExecuted(proposalId=proposal_id)


@external
@payable
def __default__():
    """
    @dev Accepts ETH, for proposals that pay.
    """
    pass


# ------------------------------------------------------------------
#                 GOVERNANCE (ONLY BY AN EXECUTED PROPOSAL)
# ------------------------------------------------------------------

@external
@reentrant
def admit(account: address):
    """
    @dev Invites `account`; it becomes a member when it joins.
    @param account The account to admit.
    """
    self._check_self()
    membership._invite(account, self)


@external
@reentrant
def set_concord(document: bytes32):
    """
    @dev Replaces the founding concord document.
    @param document The new concord's CID digest.
    """
    self._check_self()
    assert document != empty(bytes32), "charter: empty document"
    old: bytes32 = self._concord
    self._concord = document
    log ConcordUpdated(old=old, new=document)


@external
@reentrant
def set_parameters(parameters: params.Params):
    """
    @dev Replaces the parameters; existing proposals keep theirs.
    @param parameters The new parameters.
    """
    self._check_self()
    params._set(parameters)


@external
@reentrant
def set_stakes(target: address, selector: bytes4, level: uint8):
    """
    @dev Sets the stakes level of a function of the charter or its books.
    @param target The charter or one of its books.
    @param selector The function selector.
    @param level 1 CONSENT, 2 MAJORITY, 3 SUPERMAJORITY.
    """
    self._check_self()
    assert target == self or books._is_book(target), "charter: not a charter contract"
    stakes._set(target, selector, level)


@external
@reentrant
def add_book(kind: uint8, book: address):
    """
    @dev Adds a book of a new kind (a court, a registration), with the
         stakes it lists for its functions. Entrenched: SUPERMAJORITY.
    @param kind The book's kind (one book per kind).
    @param book The book; it must name this charter as its own.
    """
    self._check_self()
    books._add(kind, book, False)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def name() -> String[MAX_NAME_LENGTH]:
    """
    @dev Returns the charter's name.
    @return String The name.
    """
    return self._name


@external
@view
def concord() -> bytes32:
    """
    @dev Returns the founding concord's CID digest.
    @return bytes32 The digest.
    """
    return self._concord


@external
@view
def founded_at() -> uint256:
    """
    @dev Returns when the charter was founded.
    @return uint256 The time.
    """
    return self._founded_at


@external
@view
@reentrant
def book(kind: uint8) -> address:
    """
    @dev Returns the charter's book of a kind (1 clauses, 2 roles), or zero.
    @param kind The kind.
    @return address The book.
    """
    return books._by_kind[kind]


@external
@view
def book_list() -> DynArray[books.Book, books.MAX_BOOKS]:
    """
    @dev Returns every book with its kind, in the order they were added.
    @return DynArray The books.
    """
    return books._list()


@external
@view
@reentrant
def holds_role(role: bytes32, account: address) -> bool:
    """
    @dev Returns whether `account` holds `role` now (asked of the role book).
    @param role The role's name.
    @param account The address.
    @return bool True while its mandate is in force.
    """
    return staticcall IRoleBook(books._by_kind[books.ROLES]).holds_role(role, account)


@external
@view
def parameters() -> params.Params:
    """
    @dev Returns the current parameters.
    @return Params The parameters.
    """
    return params._get()


@external
@view
@reentrant
def is_member(account: address) -> bool:
    """
    @dev Returns whether `account` is a member now.
    @param account The address.
    @return bool True for a member.
    """
    return membership._is_member(account)


@external
@view
@reentrant
def joined_at(account: address) -> uint256:
    """
    @dev Returns when `account` joined (zero for non-members).
    @param account The address.
    @return uint256 The time.
    """
    seat: uint256 = membership._seat_of(account)
    if seat == 0:
        return 0
    return (membership._seats[seat] >> membership.SEAT_TIME_SHIFT) & membership.MASK40


@external
@view
@reentrant
def joined_block(account: address) -> uint256:
    """
    @dev Returns the block `account` joined in (zero for non-members); it
         votes on proposals created in later blocks.
    @param account The address.
    @return uint256 The block number.
    """
    return membership._joined[account] & membership.JOINED_BLOCK_MASK


@external
@view
def is_invited(account: address) -> bool:
    """
    @dev Returns whether `account` holds an invitation to join.
    @param account The address.
    @return bool True when invited.
    """
    return membership._invited[account]


@external
@view
def member_count() -> uint256:
    """
    @dev Returns the number of members.
    @return uint256 The count.
    """
    return membership._member_count()


@external
@view
@reentrant
def seat_of(account: address) -> uint256:
    """
    @dev Returns `account`'s seat: the number of its current, unbroken
         spell of membership (zero for non-members). Rejoining takes a new
         seat, so a mandate or a jury seat bound to a seat number ends with
         the membership it was granted to.
    @param account The address.
    @return uint256 The seat number (1-based).
    """
    return membership._seat_of(account)


@external
@view
@reentrant
def seat_count() -> uint256:
    """
    @dev Returns how many seats were ever taken: the seat list's length.
         The roster at any moment is the list cut at its length then.
    @return uint256 The count.
    """
    return membership._seat_count()


@external
@view
@reentrant
def seat(number: uint256) -> ICharter.Seat:
    """
    @dev Returns one entry of the seat list.
    @param number The seat number, from 1 to `seat_count()`.
    @return Seat Its account, join block and time, and whether it is live
            (its account is still a member in this seat).
    """
    assert number != 0 and number <= membership._seat_count(), "charter: no such seat"
    packed: uint256 = membership._seats[number]
    account: address = convert(convert(packed & convert(max_value(uint160), uint256), uint160), address)
    return ICharter.Seat(
        account=account,
        joined_block=(packed >> membership.SEAT_BLOCK_SHIFT) & membership.MASK40,
        joined_at=(packed >> membership.SEAT_TIME_SHIFT) & membership.MASK40,
        live=membership._seat_of(account) == number,
    )


@external
@view
def delegate_of(account: address) -> address:
    """
    @dev Returns who carries `account`'s voice now (zero: nobody).
    @param account The member.
    @return address The delegate.
    """
    return delegation._delegate_of(account)


@external
@view
def carried_voices(account: address) -> uint256:
    """
    @dev Returns how many members' voices `account` carries now.
    @param account The member.
    @return uint256 The count (their own voice not included).
    """
    return delegation._carried(account)


@external
@view
def ballot_digest(proposal_id: uint256, support: uint8, voter: address) -> bytes32:
    """
    @dev Returns the EIP-712 digest of a ballot, as a voter signs it.
    @param proposal_id The proposal id.
    @param support The vote type.
    @param voter The voter.
    @return bytes32 The digest.
    """
    return signed_ballots._digest(proposal_id, support, voter)


@external
@view
def proposal_count() -> uint256:
    """
    @dev Returns the number of proposals ever created.
    @return uint256 The count.
    """
    return proposals._proposal_count


@external
@view
def proposal(proposal_id: uint256) -> proposals.Proposal:
    """
    @dev Returns a proposal.
    @param proposal_id The proposal id.
    @return Proposal The proposal.
    """
    return proposals._get(proposal_id)


@external
@view
def state(proposal_id: uint256) -> uint8:
    """
    @dev Returns a proposal's state (OpenZeppelin numbering).
    @param proposal_id The proposal id.
    @return uint8 The state.
    """
    return proposals._state_of(proposals._get(proposal_id))


@external
@view
def has_voted(proposal_id: uint256, account: address) -> bool:
    """
    @dev Returns whether `account` voted on a proposal.
    @param proposal_id The proposal id.
    @param account The address.
    @return bool True if its vote was counted.
    """
    return ballots._has_voted(proposal_id, account)


@external
@view
def voted_by_delegate(proposal_id: uint256, member: address) -> bool:
    """
    @dev Returns whether member polity `member`'s voice on a proposal was
         cast by its delegate and not replaced by its own vote.
    @param proposal_id The proposal id.
    @param member The member polity.
    @return bool True while the delegate's ballot stands.
    """
    return ballots._voted_by_delegate(proposal_id, member)


@external
@view
def actions_hash(proposal_id: uint256) -> bytes32:
    """
    @dev Returns the hash of a proposal's actions.
    @param proposal_id The proposal id.
    @return bytes32 keccak256(abi_encode(targets, values, calldatas)).
    """
    return proposals._actions_hash[proposal_id]


@external
@view
def stakes_of(target: address, selector: bytes4) -> uint8:
    """
    @dev Returns the stakes level listed for a function of the charter or
         its books.
    @param target The contract the function belongs to.
    @param selector The function selector.
    @return uint8 The level (zero when unlisted: MAJORITY applies).
    """
    return stakes._level[target][selector]


@external
@view
def clock() -> uint48:
    """
    @dev ERC-6372: the charter counts time in seconds.
    @return uint48 The current timestamp.
    """
    return convert(block.timestamp, uint48)


@external
@view
def CLOCK_MODE() -> String[14]:
    """
    @dev ERC-6372: timestamp mode.
    @return String The clock mode.
    """
    return "mode=timestamp"


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _check_self():
    """
    @dev Reverts unless called by the charter itself (an executed proposal).
    """
    assert msg.sender == self, "charter: only by proposal"


@internal
@pure
def _check_succeeded(state: uint8):
    """
    @dev Reverts with the reason a proposal in `state` cannot execute.
    @param state The proposal's state.
    """
    assert state != proposals.ACTIVE, "charter: voting not over"
    assert state != proposals.CANCELED, "charter: proposal canceled"
    assert state != proposals.DEFEATED, "charter: proposal defeated"
    assert state != proposals.EXECUTED, "charter: proposal already executed"
    assert state != proposals.EXPIRED, "charter: execution window closed"


@internal
@view
def _code_digest(targets: DynArray[address, proposals.MAX_ACTIONS]) -> bytes32:
    """
    @dev Digests what each target will run: its code hash, and for a
         target that says it delegates (an implementation, or a beacon and
         the beacon's implementation), those addresses and their code hashes
         too, so that an upgrade behind a proxy is seen like a change of
         code. Zero when all targets are the charter itself or its founding
         books, whose code cannot change (minimal proxies); a book added
         later is hashed like any target. A proxy that keeps its implementation in a slot
         and answers neither question cannot be seen on chain (docs/SPEC.md).
    @param targets The actions' targets.
    @return bytes32 The digest.
    """
    hashes: DynArray[bytes32, proposals.MAX_ACTIONS] = []
    any_external: bool = False
    for target: address in targets:
        code_hash: bytes32 = empty(bytes32)
        if target != self and not books._is_founding_book(target):
            any_external = True
            code_hash = self._delegation_digest(target)
        hashes.append(code_hash)
    if not any_external:
        return empty(bytes32)
    return keccak256(abi_encode(hashes))


@internal
@view
def _delegation_digest(target: address) -> bytes32:
    """
    @dev The code hash of `target`, combined with those of the
         implementation and beacon it names, when it names them.
    @param target An action's target.
    @return bytes32 The digest (the plain code hash for an ordinary contract).
    """
    code_hash: bytes32 = self._code_hash(target)
    if not target.is_contract:
        return code_hash
    implementation: address = self._probe(target, method_id("implementation()"))
    beacon: address = self._probe(target, method_id("beacon()"))
    if implementation == empty(address) and beacon == empty(address):
        return code_hash
    beacon_implementation: address = empty(address)
    if beacon != empty(address):
        beacon_implementation = self._probe(beacon, method_id("implementation()"))
    return keccak256(
        abi_encode(
            code_hash,
            implementation,
            self._code_hash(implementation),
            beacon,
            self._code_hash(beacon),
            beacon_implementation,
            self._code_hash(beacon_implementation),
        )
    )


@internal
@view
def _probe(target: address, selector: Bytes[4]) -> address:
    """
    @dev Asks `target` for an address (`implementation()`, `beacon()`),
         with a stipend; zero when it does not answer one that has code.
    @param target The contract asked.
    @param selector The getter's selector.
    @return address The answer, or zero.
    """
    success: bool = False
    answer: Bytes[32] = b""
    success, answer = raw_call(
        target, selector, max_outsize=32, gas=_PROBE_GAS, is_static_call=True, revert_on_failure=False
    )
    if not success or len(answer) != 32:
        return empty(address)
    word: uint256 = convert(answer, uint256)
    if word > convert(max_value(uint160), uint256):
        return empty(address)
    found: address = convert(convert(word, uint160), address)
    if not found.is_contract:
        return empty(address)
    return found


@internal
@view
def _code_hash(account: address) -> bytes32:
    """
    @dev The code hash of `account`, the same for no account and no code.
    @param account The address.
    @return bytes32 The code hash.
    """
    if account == empty(address):
        return empty(bytes32)
    code_hash: bytes32 = account.codehash
    if code_hash == empty(bytes32):
        return _EMPTY_CODE_HASH
    return code_hash
