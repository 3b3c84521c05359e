# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title The charter's books
@custom:contract-name books
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A charter keeps its satellite contracts (its clause book, its role
        book, and later its court or its registration) as a small bounded
        list of "books", each of one kind. A book is a contract that obeys
        only its charter and says which of its functions need which stakes
        (`IBook.default_stakes`); adding a book copies that table into the
        charter's stakes table, so a new kind of book needs no edit here or
        in the charter. Kinds are numbers: 1 clauses, 2 roles; the others
        are reserved for the books still to come (3 court, 4 registration).
        Books given at founding are minimal proxies the factory made, whose
        code cannot change; a book added later by a proposal is any contract
        that names this charter as its own, and is hashed like any other
        target when a proposal calls it.
"""


# @dev What the charter asks a book when adding it.
from interfaces import IBook


# @dev The stakes table, which a book's defaults go into.
from . import stakes

uses: stakes


# @dev The most books a charter keeps.
MAX_BOOKS: constant(uint256) = 8


# @dev The kinds of books (`0` means "not a book").
CLAUSES: constant(uint8) = 1
ROLES: constant(uint8) = 2


# @dev Marks a book given at founding (its code cannot change).
_FOUNDING: constant(uint256) = 256


# @dev One book: its kind and its address.
struct Book:
    kind: uint8
    book: address


# @dev The kinds of the books in the order they were added, one byte each
# from the lowest (a kind is never zero, so the first zero byte ends the
# list): one storage slot, written once per book.
_kinds: uint256


# @dev The book of each kind (one read to find it).
_by_kind: HashMap[uint8, address]


# @dev Each book's kind, plus `_FOUNDING` for the founding ones; zero for
# any other address.
_entry: HashMap[address, uint256]


# @dev Emitted when a book is added (at founding, or by a proposal).
event BookAdded:
    kind: indexed(uint8)
    book: indexed(address)


@internal
def _add(kind: uint8, book: address, founding: bool):
    """
    @dev Adds a book and copies its default stakes into the stakes table.
    @param kind The book's kind (one book per kind).
    @param book The book; it must name this charter as its own.
    @param founding Whether the factory made it (its code cannot change).
    """
    assert kind != 0, "charter: invalid book kind"
    assert self._entry[book] == 0, "charter: already a book"
    assert self._by_kind[kind] == empty(address), "charter: book kind taken"
    kinds: uint256 = self._kinds
    count: uint256 = self._count(kinds)
    assert count < MAX_BOOKS, "charter: too many books"
    assert staticcall IBook(book).charter() == self, "charter: book of another charter"
    for entry: IBook.Stake in staticcall IBook(book).default_stakes():
        if entry.entrenched:
            stakes._entrench(book, entry.selector)
        else:
            stakes._set(book, entry.selector, entry.level)
    self._kinds = kinds | (convert(kind, uint256) << (8 * count))
    self._by_kind[kind] = book
    self._entry[book] = convert(kind, uint256) | (_FOUNDING if founding else 0)
    log BookAdded(kind=kind, book=book)


@internal
@view
def _list() -> DynArray[Book, MAX_BOOKS]:
    """
    @dev Returns the books, in the order they were added.
    @return DynArray The books.
    """
    listed: DynArray[Book, MAX_BOOKS] = []
    kinds: uint256 = self._kinds
    for i: uint256 in range(MAX_BOOKS):
        kind: uint8 = convert((kinds >> (8 * i)) & 255, uint8)
        if kind == 0:
            break
        listed.append(Book(kind=kind, book=self._by_kind[kind]))
    return listed


@internal
@pure
def _count(kinds: uint256) -> uint256:
    """
    @dev Returns how many books a packed list of kinds holds.
    @param kinds The packed kinds.
    @return uint256 The count.
    """
    for i: uint256 in range(MAX_BOOKS):
        if (kinds >> (8 * i)) & 255 == 0:
            return i
    return MAX_BOOKS


@internal
@view
def _is_book(account: address) -> bool:
    """
    @dev Returns whether `account` is one of the books.
    @param account The address.
    @return bool True for a book.
    """
    return self._entry[account] != 0


@internal
@view
def _is_founding_book(account: address) -> bool:
    """
    @dev Returns whether `account` is a book given at founding.
    @param account The address.
    @return bool True for a founding book.
    """
    return self._entry[account] & _FOUNDING != 0
