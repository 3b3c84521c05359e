# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Leave-and-rejoin attacker
@custom:contract-name LeaveRejoin
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A contract member that takes a mandate and, in the same
        transaction (so in the block the mandate was granted in), leaves the
        charter and joins it again: by executing the proposal that appoints
        it, or by rotating a vacant role to itself. It records whether it
        held the role just before leaving and just after rejoining, inside
        that transaction. Issue 11, attack 4. Not for production.
"""


# @dev The charter functions the attacker uses.
interface ICharter:
    def join(): nonpayable
    def leave(): nonpayable
    def execute(
        proposal_id: uint256,
        targets: DynArray[address, 10],
        values: DynArray[uint256, 10],
        calldatas: DynArray[Bytes[1024], 10],
    ): payable


# @dev The role book functions the attacker uses.
interface IRoleBook:
    def volunteer(role: bytes32): nonpayable
    def rotate(role: bytes32) -> address: nonpayable
    def holds_role(role: bytes32, account: address) -> bool: view


# @dev The charter attacked and its role book.
charter: public(address)
book: public(address)


# @dev Whether it held the role right after taking it, and right after
# rejoining, in the attacking transaction.
held_before_leaving: public(bool)
held_after_rejoining: public(bool)


@deploy
def __init__(charter: address, book: address):
    """
    @dev Sets the charter and its role book.
    @param charter The charter to attack.
    @param book Its role book.
    """
    self.charter = charter
    self.book = book


@external
def join():
    """
    @dev Joins the charter (open admission).
    """
    extcall ICharter(self.charter).join()


@external
def volunteer(role: bytes32):
    """
    @dev Volunteers for a role.
    @param role The role.
    """
    extcall IRoleBook(self.book).volunteer(role)


@external
def execute_then_leave_and_rejoin(
    proposal_id: uint256,
    targets: DynArray[address, 10],
    values: DynArray[uint256, 10],
    calldatas: DynArray[Bytes[1024], 10],
    role: bytes32,
):
    """
    @dev Executes the proposal that appoints this contract, then leaves and
         rejoins, all in one transaction.
    @param proposal_id The appointing proposal.
    @param targets Its targets.
    @param values Its values.
    @param calldatas Its calldatas.
    @param role The role it appoints to.
    """
    extcall ICharter(self.charter).execute(proposal_id, targets, values, calldatas)
    self._leave_and_rejoin(role)


@external
def rotate_then_leave_and_rejoin(role: bytes32):
    """
    @dev Rotates a vacant role to this contract (first eligible on the
         roster), then leaves and rejoins, all in one transaction.
    @param role The role.
    """
    extcall IRoleBook(self.book).rotate(role)
    self._leave_and_rejoin(role)


@internal
def _leave_and_rejoin(role: bytes32):
    """
    @dev Records the mandate, leaves, rejoins, records it again.
    @param role The role.
    """
    self.held_before_leaving = staticcall IRoleBook(self.book).holds_role(role, self)
    extcall ICharter(self.charter).leave()
    extcall ICharter(self.charter).join()
    self.held_after_rejoining = staticcall IRoleBook(self.book).holds_role(role, self)
