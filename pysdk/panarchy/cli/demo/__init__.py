"""The demo story told by ``panarchy demo`` (and ``./dev demo``): a charter living through a
revision cycle (:mod:`.story`), then its money: a fund with a rotating steward and a savings
circle (:mod:`.funds`). Not part of the library's core: it only uses the SDK's public API."""

from panarchy.cli.demo.story import run

__all__ = ["run"]
