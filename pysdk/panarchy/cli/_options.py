"""The options and parameter types the CLI's commands share, defined once: addresses,
durations, ``--dry-run``, a proposal's ``--title``/``--body``/``--term``, memos."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from eth_utils import is_address, to_checksum_address

from panarchy.cli._context import Context

_DURATION = re.compile(r"^(?P<n>\d+(\.\d+)?)(?P<unit>[smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``12h``, ``7d``, ``29.53d`` or ``2w``."""
    match = _DURATION.match(text.strip())
    if not match:
        raise click.BadParameter(f"{text!r} is not a duration: use e.g. 3600s, 12h, 7d or 2w")
    return timedelta(seconds=float(match["n"]) * _UNITS[match["unit"]])


class _Address(click.ParamType):
    """An Ethereum address (checksummed, or all lower or upper case), returned checksummed."""

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str) and is_address(value.strip()):
            return str(to_checksum_address(value.strip()))
        self.fail(
            f"{value!r} is not an address: give 0x and 40 hex digits "
            "(if it has mixed case, check its checksum)",
            param,
            ctx,
        )


ADDRESS = _Address()

memo_option = click.option(
    "--memo",
    "memo_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A memo (Markdown; its first line is the title), stored and referenced by CID.",
)


required_memo_option = click.option(
    "--memo",
    "memo_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Why (Markdown; its first line is the title), stored and referenced by CID.",
)


def _set_dry_run(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    shared = ctx.find_object(Context)
    if value and shared is not None:
        shared.dry_run = True


#: ``--dry-run`` on a write: ask the chain whether it would pass and what it would cost
#: (a simulation on the pending block), print that, and send nothing. A refusal prints the
#: contract's reason as any error. On a group (``propose --dry-run enact ...``) it covers
#: every subcommand; the command reads :attr:`Context.dry_run`.
dry_run_option = click.option(
    "--dry-run",
    is_flag=True,
    expose_value=False,
    callback=_set_dry_run,
    help="Say whether this would pass and the gas it would use; send nothing.",
)


title_option = click.option("--title", required=True, help="The proposal's title.")
body_option = click.option("--body", default="", help="The proposal's text (Markdown).")
term_option = click.option("--term", type=int, required=True, help="Term in revision cycles.")


__all__ = [
    "ADDRESS",
    "body_option",
    "dry_run_option",
    "memo_option",
    "parse_duration",
    "required_memo_option",
    "term_option",
    "title_option",
]
