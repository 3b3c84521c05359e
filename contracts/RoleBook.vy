# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Role book
@custom:contract-name RoleBook
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A charter's roles: short, rotating mandates (steward, delegate,
        mediator, ...) that lapse on their own, can be recalled at any time,
        and rotate through a published roster of volunteers. One book per
        charter, created with it by the `CharterFactory` in the same
        transaction. Other contracts (a solidarity fund's steward check)
        ask `holds_role(role, account)`.
        Who may call what:
        - its charter (through an executed proposal): `define_role`,
          `set_min_volunteer_age`, `appoint`, `recall`, `clear_roster`;
        - a member (who has sat in their seat for the role's minimum
          volunteering age): `volunteer`;
        - a volunteer: `withdraw` (always);
        - anyone: `remove_volunteer` of someone who is no longer a member
          (the charter, by proposal: of anyone);
        - a holder: `resign` (always);
        - anyone: `rotate` (when no mandate is in force), every view.
        The charter treats the book as its own in its stakes table, which
        sets what each governance function needs (MAJORITY unless listed: the
        book lists none, `default_stakes` is empty); a founding book is a
        minimal proxy whose code never changes, so proposals calling it record
        no code hash for it.
@custom:security The implementation locks itself at construction (its
        charter is itself); a proxy is initialised once, by the factory, in
        its creating transaction.
"""


from interfaces import IBook
from interfaces import ICharter
from interfaces import IRoleBook

implements: IBook
implements: IRoleBook


from modules import roles

initializes: roles


# ------------------------------------------------------------------
#                           CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
def __init__():
    """
    @dev Locks the implementation: only proxies are ever initialised.
    """
    roles._charter = self


@external
def initialize(charter: address):
    """
    @dev Binds the book to its charter.
    @param charter The owning charter.
    """
    assert roles._charter == empty(address), "roles: already initialized"
    assert charter != empty(address), "roles: zero charter"
    roles._charter = charter


# ------------------------------------------------------------------
#                 GOVERNANCE (ONLY BY THE CHARTER'S PROPOSALS)
# ------------------------------------------------------------------

@external
def define_role(role: bytes32, term_seconds: uint256, max_consecutive_terms: uint256):
    """
    @dev Defines a role, or changes its terms from the next mandate on.
    @param role The role's name (UTF-8, left-aligned in 32 bytes).
    @param term_seconds The length of a term.
    @param max_consecutive_terms How many terms in a row one member may serve.
    """
    self._check_charter()
    roles._define(role, term_seconds, max_consecutive_terms)


@external
def set_min_volunteer_age(role: bytes32, age_seconds: uint256):
    """
    @dev Sets how long a member must have sat in their current seat (since
         they last joined) before volunteering for `role`: under an open
         door, accounts made for the purpose cannot fill the roster at once.
         Zero lets any member volunteer (the default). Volunteers already
         on the roster stay: `clear_roster` takes them off.
    @param role The role (defined).
    @param age_seconds The minimum membership age, in seconds (< 2**32).
    """
    self._check_charter()
    roles._set_min_volunteer_age(role, age_seconds)


@external
def appoint(role: bytes32, account: address):
    """
    @dev Gives a member a term from now, replacing any mandate in force.
    @param role The role.
    @param account The member.
    """
    self._check_charter()
    # One call gives both the membership and the seat the mandate is bound to.
    seat: uint256 = staticcall ICharter(roles._charter).seat_of(account)
    assert seat != 0, "roles: not a member"
    roles._appoint(role, account, seat)


@external
def recall(role: bytes32):
    """
    @dev Recalls the mandate in force, now.
    @param role The role.
    """
    self._check_charter()
    roles._recall(role)


@external
def clear_roster(role: bytes32):
    """
    @dev Takes every volunteer off a role's roster in one decision (a
         roster stuffed with throwaway members, say); members then volunteer
         again under the role's current minimum age. A mandate in force is
         untouched.
    @param role The role (defined).
    """
    self._check_charter()
    roles._clear_roster(role)


# ------------------------------------------------------------------
#                     VOLUNTEERS, HOLDERS, ANYONE
# ------------------------------------------------------------------

@external
def volunteer(role: bytes32):
    """
    @dev Puts the calling member at the end of a role's roster, once they
         have sat in their seat for the role's minimum volunteering age.
    @param role The role.
    """
    assert roles._is_member(msg.sender), "roles: not a member"
    roles._volunteer(role, msg.sender)


@external
def withdraw(role: bytes32):
    """
    @dev Takes the caller off a role's roster; always possible.
    @param role The role.
    """
    roles._withdraw(role, msg.sender)


@external
def remove_volunteer(role: bytes32, account: address):
    """
    @dev Takes someone else off a role's roster: the charter (by proposal)
         may remove anyone; anyone may remove a volunteer who is no longer a
         member, so that departed members never fill a roster.
    @param role The role.
    @param account The volunteer.
    """
    if msg.sender != roles._charter:
        assert not roles._is_member(account), "roles: volunteer is a member"
    roles._withdraw(role, account)


@external
def resign(role: bytes32):
    """
    @dev Ends the caller's own mandate now; always possible.
    @param role The role.
    """
    roles._resign(role, msg.sender)


@external
def rotate(role: bytes32) -> address:
    """
    @dev Hands a role with no mandate in force to the next eligible
         volunteer in the published order.
    @param role The role.
    @return address The new holder.
    """
    return roles._rotate(role)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def charter() -> address:
    """
    @dev Returns the charter that owns this book.
    @return address The charter.
    """
    return roles._charter


@external
@view
def default_stakes() -> DynArray[IBook.Stake, 8]:
    """
    @dev Returns the stakes the charter starts this book's functions at:
         none listed, so every role operation needs MAJORITY (a mandate is
         power over others; no role change passes by silence).
    @return DynArray The book's stakes table (empty).
    """
    return []


@external
@view
def holds_role(role: bytes32, account: address) -> bool:
    """
    @dev Returns whether `account` holds `role` now.
    @param role The role.
    @param account The address.
    @return bool True while its mandate is in force.
    """
    return roles._holds(role, account)


@external
@view
def holder(role: bytes32) -> address:
    """
    @dev Returns who holds `role` now (zero: nobody).
    @param role The role.
    @return address The holder.
    """
    m: roles.Mandate = roles._get_mandate(role)
    if m.in_force:
        return m.holder
    return empty(address)


@external
@view
def mandate(role: bytes32) -> roles.Mandate:
    """
    @dev Returns the role's latest mandate, in force or not.
    @param role The role.
    @return Mandate The mandate.
    """
    return roles._get_mandate(role)


@external
@view
def granted_seat(role: bytes32) -> uint256:
    """
    @dev Returns the charter seat the role's latest mandate was granted to
         (zero: never filled). The mandate is in force only while its holder
         still sits in that seat (`charter.seat_of(holder)`).
    @param role The role.
    @return uint256 The seat number.
    """
    return roles._granted_seat[role]


@external
@view
def terms(role: bytes32) -> roles.Terms:
    """
    @dev Returns a role's terms: term, limit on consecutive terms and
         minimum volunteering age (all zero for an undefined role).
    @param role The role.
    @return Terms The terms.
    """
    return roles._get_terms(role)


@external
@view
def roster(role: bytes32) -> DynArray[address, roles.MAX_ROSTER]:
    """
    @dev Returns a role's volunteers in the order they volunteered.
    @param role The role.
    @return DynArray The volunteers.
    """
    return roles._roster[role]


@external
@view
def rotation_cursor(role: bytes32) -> uint256:
    """
    @dev Returns the roster index rotation looks at first: the order of
         rotation is the roster read from here, wrapping around.
    @param role The role.
    @return uint256 The index.
    """
    return roles._cursor[role]


@external
@view
def next_in_rotation(role: bytes32) -> address:
    """
    @dev Returns who a rotation would pick now (zero: nobody eligible).
    @param role The role.
    @return address The volunteer.
    """
    return roles._next_in_rotation(role)


@external
@view
def role_names() -> DynArray[bytes32, roles.MAX_ROLES]:
    """
    @dev Returns every role defined, in the order of definition.
    @return DynArray The role names.
    """
    return roles._role_names


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _check_charter():
    """
    @dev Reverts unless called by the owning charter.
    """
    assert msg.sender == roles._charter, "roles: only by the charter"
