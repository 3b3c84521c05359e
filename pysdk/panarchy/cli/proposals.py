"""The ``propose`` subcommands for roles and funds: define a role, appoint to it, recall
from it; pay from a fund, change its limits, give it the charter's own ETH.

They join the ``propose`` group of :mod:`panarchy.cli.charter` when this module is imported.
Each takes ``--dry-run`` (the shared option of :mod:`panarchy.cli._context`): the charter
simulates proposing and says whether it would accept the proposal, and its gas; nothing is
sent.
"""

from __future__ import annotations

from pathlib import Path

import click

from panarchy.cli._context import Context, pass_context
from panarchy.cli._money import (
    amount,
    memo_cid,
    open_fund,
    required_memo,
)
from panarchy.cli._options import (
    ADDRESS,
    body_option,
    dry_run_option,
    memo_option,
    parse_duration,
    required_memo_option,
    title_option,
)
from panarchy.cli.charter import _propose, propose
from panarchy.errors import ConfigurationError
from panarchy.funds import Fund, FundLimits

__all__ = ["propose"]


def _owned(ctx: Context, fund: Fund) -> Fund:
    """The fund, after checking that it belongs to the charter that would propose for it."""
    charter = ctx.charter()
    if fund.owner != charter.address:
        raise ConfigurationError(
            f"fund {fund.address} belongs to charter {fund.owner}, not {charter.address}: "
            f"propose it there (--charter {fund.owner})"
        )
    return fund


# --- proposals for roles --------------------------------------------------------------------


@propose.command("define-role")
@click.argument("name")
@click.option(
    "--term", metavar="DURATION", required=True, help="How long one mandate lasts (e.g. 30d)."
)
@click.option(
    "--max-terms",
    type=int,
    default=2,
    show_default=True,
    help="Most terms in a row for one holder.",
)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_define_role(
    ctx: Context, name: str, term: str, max_terms: int, title: str, body: str
) -> None:
    """Propose to define role NAME (or change its terms from its next mandate on).

    Example: panarchy role propose define steward --term 30d --max-terms 2 --title "A steward"
    """
    action = ctx.charter().actions.define_role(name, parse_duration(term), max_terms)
    _propose(ctx, [action], title, body)


@propose.command("appoint")
@click.argument("name")
@click.argument("address", type=ADDRESS)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_appoint(ctx: Context, name: str, address: str, title: str, body: str) -> None:
    """Propose to give the member ADDRESS a term of NAME (replacing any mandate in force).

    Example: panarchy role propose appoint steward 0x7099... --title "Bo as steward"
    """
    charter = ctx.charter()
    action = charter.actions.appoint(name, address)
    if charter.roles.terms(name) is None:
        click.echo(
            f"note: there is no role {name!r} yet: this proposal executes only after a "
            "define-role proposal for it has",
            err=True,
        )
    if not charter.is_member(address):
        click.echo(
            f"note: {address} is not a member now: the appointment executes only once they are",
            err=True,
        )
    _propose(ctx, [action], title, body)


@propose.command("recall")
@click.argument("name")
@title_option
@body_option
@dry_run_option
@pass_context
def propose_recall(ctx: Context, name: str, title: str, body: str) -> None:
    """Propose to recall the mandate of NAME in force when the proposal executes.

    Example: panarchy role propose recall steward --title "Recall the steward"
    """
    charter = ctx.charter()
    action = charter.actions.recall(name)
    if charter.roles.holder(name) is None:
        click.echo(
            f"note: nobody holds {name!r} now: the recall executes only if someone does by then",
            err=True,
        )
    _propose(ctx, [action], title, body)


# --- proposals for a fund (the charter decides) --------------------------------------------


@propose.command("fund-disburse")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.argument("recipient", type=ADDRESS)
@click.argument("amount_text", metavar="AMOUNT")
@required_memo_option
@title_option
@body_option
@dry_run_option
@pass_context
def propose_fund_disburse(
    ctx: Context,
    fund_address: str,
    recipient: str,
    amount_text: str,
    memo_file: Path,
    title: str,
    body: str,
) -> None:
    """Propose that FUND pays AMOUNT to RECIPIENT (beyond any steward limit).

    Example: panarchy fund propose disburse 0xF00D... 0x7099... 0.5 --memo roof.md --title Roof
    """
    f = _owned(ctx, open_fund(ctx, fund_address))
    units = amount(f.asset, amount_text)
    action = f.actions.disburse(recipient, units, required_memo(memo_file))
    _propose(ctx, [action], title, body)


@propose.command("fund-limits")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.option(
    "--cap", metavar="AMOUNT", help="Most one contributor may give per period (default: unchanged)."
)
@click.option(
    "--steward-limit",
    metavar="AMOUNT",
    help="Most the steward may pay per period (default: unchanged).",
)
@click.option(
    "--members-only/--open",
    "members_only",
    default=None,
    help="Who may contribute (default: unchanged).",
)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_fund_limits(
    ctx: Context,
    fund_address: str,
    cap: str | None,
    steward_limit: str | None,
    members_only: bool | None,
    title: str,
    body: str,
) -> None:
    """Propose new limits for FUND; what is not given stays as it is.

    Example: panarchy fund propose limits 0xF00D... --cap 1 --steward-limit 0.2 --title Limits
    """
    if cap is None and steward_limit is None and members_only is None:
        raise click.UsageError("say what to change: --cap, --steward-limit, --members-only/--open")
    f = _owned(ctx, open_fund(ctx, fund_address))
    now = f.limits
    limits = FundLimits(
        now.contribution_cap if cap is None else amount(f.asset, cap, "--cap"),
        now.steward_limit
        if steward_limit is None
        else amount(f.asset, steward_limit, "--steward-limit", allow_zero=True),
        now.members_only if members_only is None else members_only,
    )
    _propose(ctx, [f.actions.set_limits(limits)], title, body)


@propose.command("fund-contribute")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.argument("amount_text", metavar="AMOUNT")
@memo_option
@title_option
@body_option
@dry_run_option
@pass_context
def propose_fund_contribute(
    ctx: Context,
    fund_address: str,
    amount_text: str,
    memo_file: Path | None,
    title: str,
    body: str,
) -> None:
    """Propose that the charter gives AMOUNT of its own ETH to FUND.

    Example: panarchy fund propose contribute 0xF00D... 2 --title "Seed the fund"
    """
    f = _owned(ctx, open_fund(ctx, fund_address))
    units = amount(f.asset, amount_text)
    action = f.actions.contribute(units, memo_cid(memo_file))
    held = ctx.chain.w3.eth.get_balance(f.owner)
    if held < units:
        click.echo(
            f"note: the charter holds {f.asset.format(held)} now; the proposal executes only "
            f"once it holds {f.asset.format(units)}",
            err=True,
        )
    _propose(ctx, [action], title, body)
