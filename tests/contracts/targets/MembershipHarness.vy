# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Membership harness
@custom:contract-name MembershipHarness
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Exposes the `membership` module with setters for its member and
        seat counts, so that the 2**32 - 1 member and 2**40 - 1 seat limits
        can be reached without billions of joins (snekmate's mock style).
        Test use only.
"""


from modules import membership

initializes: membership


@external
def join(account: address):
    """
    @dev Joins `account` with open admission.
    @param account The joining account.
    """
    membership._join(account, False)


@external
def set_counts(count: uint256, seats: uint256):
    """
    @dev Overwrites the member and seat counts.
    @param count The new member count.
    @param seats The new seat count.
    """
    membership._set_count(count, seats)


@external
@view
def member_count() -> uint256:
    """
    @dev Returns the member count.
    @return uint256 The count.
    """
    return membership._member_count()


@external
@view
def seat_count() -> uint256:
    """
    @dev Returns the seat count.
    @return uint256 The count.
    """
    return membership._seat_count()
