# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title TestBook
@custom:contract-name TestBook
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A book of a kind still to come (a court, a registration), for the
        books tests: it names the charter it was made for, lists one function
        at CONSENT and one entrenched, and counts the charter's calls.
"""

from interfaces import IBook

implements: IBook


# @dev The charter this book obeys.
_charter: address


# @dev How many times the charter called `record`.
records: public(uint256)


@deploy
def __init__(charter: address):
    """
    @dev Makes a book for `charter`.
    @param charter The charter it obeys.
    """
    self._charter = charter


@external
@view
def charter() -> address:
    """
    @dev Returns the charter this book obeys.
    @return address The charter.
    """
    return self._charter


@external
@view
def default_stakes() -> DynArray[IBook.Stake, 8]:
    """
    @dev `record` at CONSENT, `seal` entrenched.
    @return DynArray The book's stakes table.
    """
    return [
        IBook.Stake(selector=method_id("record()", output_type=bytes4), level=1, entrenched=False),
        IBook.Stake(selector=method_id("seal()", output_type=bytes4), level=2, entrenched=True),
    ]


@external
def record():
    """
    @dev Counts a call from the charter.
    """
    assert msg.sender == self._charter, "book: only by the charter"
    self.records += 1


@external
def seal():
    """
    @dev Does nothing; entrenched in the stakes table.
    """
    assert msg.sender == self._charter, "book: only by the charter"
