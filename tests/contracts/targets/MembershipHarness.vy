# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Membership harness
@custom:contract-name MembershipHarness
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Exposes the `membership` module with a setter for its member count,
        so that the 2**32 - 1 member limit can be reached without 4 billion
        joins (snekmate's mock style). Test use only.
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
def set_member_count(count: uint256):
    """
    @dev Overwrites the member count.
    @param count The new count.
    """
    membership._member_count = count


@external
@view
def member_count() -> uint256:
    """
    @dev Returns the member count.
    @return uint256 The count.
    """
    return membership._member_count
