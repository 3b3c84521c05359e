"""The charter's domain: the charter itself, its clause and role books, the actions a
proposal carries, signed ballots, and the native types its reads return.

``from panarchy.charter import Charter`` (or ``from panarchy import Charter``) is the way in;
the modules:

- :mod:`panarchy.charter.charter`: :class:`Charter`, membership, clauses, proposals, votes;
- :mod:`panarchy.charter.roles`: the role book (mandates, the volunteer roster);
- :mod:`panarchy.charter.actions`: the actions a proposal carries, encoded and described;
- :mod:`panarchy.charter.ballots`: EIP-712 ballots, signed and verified off chain;
- :mod:`panarchy.charter.targets`: what a proposal's targets are (proxies, DELEGATECALL);
- :mod:`panarchy.charter.types`: parameters, proposals, clauses, enums.
"""

from panarchy.charter.charter import Charter, CharterSimulator

__all__ = ["Charter", "CharterSimulator"]
