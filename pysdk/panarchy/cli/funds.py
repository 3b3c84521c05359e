"""``panarchy fund``: a charter's solidarity fund (the proposals that decide for it are in
:mod:`panarchy.cli.proposals`).

Amounts are given and shown in the fund's asset (``0.5`` is half an ETH, or half a token);
``--json`` gives them in base units (wei), with the asset's decimals alongside.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from panarchy.charter.roles import format_duration
from panarchy.cli._context import Context, pass_context
from panarchy.cli._money import (
    amount,
    audit_output,
    claim_output,
    emit_dry_run,
    factory,
    format_choice,
    ledger_output,
    memo_cid,
    open_fund,
    recorded_factory,
    required_memo,
    token_asset,
)
from panarchy.cli._options import (
    ADDRESS,
    dry_run_option,
    memo_option,
    parse_duration,
    required_memo_option,
)
from panarchy.funds import Fund, FundLimits, FundTerms, funds_of, plot_balance

__all__ = ["fund"]


def _steward_text(fund: Fund, steward: str | None) -> str:
    role = escape(repr(fund.steward_role))
    if steward is None:
        return f"nobody holds the {role} role (propose define-role / appoint, or role rotate)"
    return f"{steward} (holds the {role} role)"


def _terms(ctx: Context, f: Fund) -> FundTerms:
    """The fund's terms, with whether this chain's recorded factory lists it."""
    found = recorded_factory(ctx, required=False)
    return f.terms(found.address if found else None)


def _terms_text(f: Fund, t: FundTerms) -> str:
    """The terms a contributor agrees to, and who set them when, in a few lines."""
    a = f.asset
    every = format_duration(t.period)
    role = escape(repr(t.steward_role))
    spending = (
        f"the steward (the {role} role) pays out at most {a.format(t.limits.steward_limit)} "
        f"per {every}; more takes a proposal"
        if t.steward_may_pay
        else f"the steward (the {role} role) may pay out nothing on their own: only the "
        "charter's proposals pay"
    )
    who = (
        f"the charter {t.owner}, by proposal"
        if t.set_by_owner
        else f"the creator {t.limits_set_by}, at creation"
    )
    listed = {
        True: "made by this chain's CharterFactory",
        False: "[bold red]NOT made by this chain's CharterFactory[/]: its creator and terms "
        "are whatever it was initialised with",
        None: "no CharterFactory is recorded for this chain: whether it made the fund is unknown",
    }[t.listed]
    return (
        f"terms: at most {a.format(t.limits.contribution_cap)} per contributor per {every} "
        f"({'members only' if t.limits.members_only else 'anyone may contribute'}); {spending}\n"
        f"limits set by {who}, {t.limits_set_at:%Y-%m-%d %H:%M} UTC\n"
        f"period ({every}) and steward role set by the creator {t.creator} at creation\n"
        f"{listed}"
    )


@click.group()
def fund() -> None:
    """A charter's solidarity fund: contribute, disburse, read and audit its ledger.

    Example: panarchy fund list
    """


@fund.command("create")
@click.option("--token", type=ADDRESS, help="An ERC20 token's address (default: ETH).")
@click.option(
    "--period",
    metavar="DURATION",
    default="30d",
    show_default=True,
    help="How often caps and limits renew.",
)
@click.option(
    "--cap",
    metavar="AMOUNT",
    required=True,
    help="Most one contributor may give per period (e.g. 1).",
)
@click.option(
    "--steward-limit",
    metavar="AMOUNT",
    default="0",
    show_default=True,
    help="Most the steward may pay out per period. A member's fund starts with none (the "
    "fund refuses any other value); the charter sets it with `propose fund-limits`.",
)
@click.option("--members-only", is_flag=True, help="Only the charter's members may contribute.")
@click.option(
    "--steward-role", default="steward", show_default=True, help="The role whose holder disburses."
)
@dry_run_option
@pass_context
def fund_create(
    ctx: Context,
    token: str | None,
    period: str,
    cap: str,
    steward_limit: str,
    members_only: bool,
    steward_role: str,
) -> None:
    """Create a solidarity fund for the charter (members may).

    Example: panarchy fund create --cap 1 --period 30d --dry-run
    """
    length = parse_duration(period)
    asset = token_asset(ctx, token)
    limits = FundLimits(
        amount(asset, cap, "--cap"),
        amount(asset, steward_limit, "--steward-limit", allow_zero=True),
        members_only,
    )
    charter = ctx.charter()
    if ctx.dry_run:
        sim = Fund.create(
            ctx.chain, ctx.signer(), factory=factory(ctx).address, charter=charter,
            limits=limits, period=length, token=token, steward_role=steward_role, dry_run=True,
        )  # fmt: skip
        emit_dry_run(
            ctx,
            f"create fund {sim.result} for {escape(repr(charter.name))} in {asset.symbol}, cap "
            f"{asset.format(limits.contribution_cap)} per {format_duration(length)}",
            sim,
        )
        return
    made = Fund.create(
        ctx.chain,
        ctx.signer(),
        factory=factory(ctx).address,
        charter=charter,
        limits=limits,
        period=length,
        token=token,
        steward_role=steward_role,
    )
    every = format_duration(length)
    role_defined = charter.roles.terms(steward_role) is not None
    ctx.emit(
        {
            "fund": made.address,
            "charter": charter.address,
            "asset": made.asset,
            "period": length,
            "limits": limits,
            "steward_role": steward_role,
        },
        f"fund {made.address} for {escape(repr(charter.name))} in {asset.symbol}: each contributor "
        f"gives at most {asset.format(limits.contribution_cap)} per {every}"
        + (" (members only)" if members_only else "")
        + (
            f"; the {escape(steward_role)} pays out at most "
            f"{asset.format(limits.steward_limit)} per {every}"
            if limits.steward_limit
            else f"; the {escape(steward_role)} may pay out nothing until the charter sets a "
            f"limit: `panarchy propose fund-limits {made.address} --steward-limit AMOUNT "
            "--title ...`"
        )
        + f"\nuse it with: panarchy fund contribute {made.address} AMOUNT"
        + (
            ""
            if role_defined
            else f"\nno {escape(repr(steward_role))} role yet: `panarchy propose define-role "
            f"{escape(steward_role)} --term 30d --title ...`, then `propose appoint`"
        ),
    )


@fund.command("list")
@pass_context
def fund_list(ctx: Context) -> None:
    """List the charter's funds.

    Example: panarchy --json fund list
    """
    charter = ctx.charter()
    made_by = factory(ctx)
    found = funds_of(ctx.chain, made_by.address, charter.address, from_block=made_by.block)
    rows = []
    table = Table(title=f"Funds of {escape(charter.name)}")
    for col in ("fund", "asset", "holds", "contributed", "disbursed", "steward", "reconciles"):
        table.add_column(col, no_wrap=col == "fund")
    for f in found:
        s = f.summary()
        rows.append({"fund": f.address, "asset": f.asset, "summary": s, "reconciles": s.reconciles})
        table.add_row(
            f.address,
            f.asset.symbol,
            f.asset.format(s.holdings),
            f.asset.format(s.contributed),
            f.asset.format(s.disbursed),
            s.steward or "nobody",
            "yes" if s.reconciles else "NO",
        )
    ctx.emit(
        rows,
        table  # type: ignore[arg-type]
        if found
        else "no funds yet: create one with `panarchy fund create --cap 1 --steward-limit 0.5`",
    )


@fund.command("show")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@pass_context
def fund_show(ctx: Context, fund_address: str) -> None:
    """Show a fund: its terms and who set them, totals, steward, period, whether it
    reconciles.

    Example: panarchy fund show 0xF00D...
    """
    f = open_fund(ctx, fund_address)
    s = f.summary()
    t = _terms(ctx, f)
    lim = t.limits
    a = f.asset
    every = format_duration(f.period)
    data = {
        "address": f.address,
        "owner": f.owner,
        "asset": a,
        "period": f.period,
        "period_started_at": f.period_start(s.period),
        "steward_role": f.steward_role,
        "limits": lim,
        "terms": t,
        "summary": s,
        "reconciles": s.reconciles,
    }
    text = (
        f"[bold]Fund {f.address}[/] of charter {f.owner}, in {a.symbol}\n"
        f"{_terms_text(f, t)}\n"
        f"holds {a.format(s.holdings)}: contributed {a.format(s.contributed)}, disbursed "
        f"{a.format(s.disbursed)}, owed {a.format(s.owed)}, unaccounted {a.format(s.unaccounted)}"
        + (f", shortfall {a.format(s.shortfall)}" if s.shortfall else "")
        + f"\navailable to pay out: {a.format(s.available)}; the steward paid "
        f"{a.format(s.steward_spent)} of {a.format(lim.steward_limit)} this period\n"
        f"steward: {_steward_text(f, s.steward)}\n"
        f"period {s.period} of {every}, since {f.period_start(s.period):%Y-%m-%d %H:%M} UTC\n"
        + (
            "the ledger reconciles (`panarchy fund audit` replays its whole history)"
            if s.reconciles
            else "[bold red]the ledger does not reconcile[/]: run "
            f"`panarchy fund audit {f.address}`"
        )
    )
    ctx.emit(data, text)


@fund.command("contribute")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.argument("amount_text", metavar="AMOUNT")
@memo_option
@dry_run_option
@pass_context
def fund_contribute(
    ctx: Context, fund_address: str, amount_text: str, memo_file: Path | None
) -> None:
    """Give AMOUNT of the fund's asset (like 0.5) to FUND.

    The fund's terms, and who set them when, are printed (on stderr) before anything is
    sent; `panarchy fund show FUND` prints them without contributing.

    Example: panarchy fund contribute 0xFund... 0.5 --dry-run
    """
    f = open_fund(ctx, fund_address)
    units = amount(f.asset, amount_text)
    terms = _terms(ctx, f)
    Console(stderr=True, width=ctx.console.width).print(
        f"contributing to fund {f.address}\n{_terms_text(f, terms)}"
    )
    signer = ctx.signer()
    memo = memo_cid(memo_file)
    if ctx.dry_run:
        approve = f.needs_approval(signer.address, units)
        sim = f.contribute(signer, units, memo, dry_run=True)
        emit_dry_run(
            ctx,
            f"{signer.address} approves fund {f.address} for {f.asset.format(units)} (the "
            "first of two transactions: the fund applies its cap once the tokens are approved)"
            if approve
            else f"{signer.address} gives {f.asset.format(units)} to fund {f.address}",
            sim,
            needs_approval=approve,
        )
        return
    f.contribute(signer, units, memo)
    given = f.given_this_period(signer.address)
    ctx.emit(
        {
            "fund": f.address,
            "contributor": signer.address,
            "amount": units,
            "memo": memo,
            "given_this_period": given,
            "terms": terms,
        },
        f"{signer.address} gave {f.asset.format(units)} to fund {f.address}"
        + (f" (memo {memo})" if memo else "")
        + f"; {f.asset.format(given)} of the {f.asset.format(f.limits.contribution_cap)} cap "
        "given this period",
    )


@fund.command("disburse")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.argument("recipient", type=ADDRESS)
@click.argument("amount_text", metavar="AMOUNT")
@required_memo_option
@dry_run_option
@pass_context
def fund_disburse(
    ctx: Context,
    fund_address: str,
    recipient: str,
    amount_text: str,
    memo_file: Path,
) -> None:
    """Pay AMOUNT from FUND to RECIPIENT, as the steward, within the steward's limit.

    Example: panarchy fund disburse 0xFund... 0xRecipient... 0.2 --memo why.md --dry-run
    """
    f = open_fund(ctx, fund_address)
    units = amount(f.asset, amount_text)
    signer = ctx.signer()
    memo = required_memo(memo_file)
    if ctx.dry_run:
        emit_dry_run(
            ctx,
            f"pay {f.asset.format(units)} from fund {f.address} to {recipient}",
            f.disburse(signer, recipient, units, memo, dry_run=True),
        )
        return
    took = f.disburse(signer, recipient, units, memo)
    left = f.limits.steward_limit - f.summary().steward_spent
    text = (
        f"paid {f.asset.format(units)} from fund {f.address} to {recipient} (memo {memo})"
        if took
        else f"{recipient} refused the payment: {f.asset.format(units)} is owed to them, to take "
        f"with `panarchy fund claim {f.address}`"
    )
    ctx.emit(
        {
            "fund": f.address,
            "recipient": recipient,
            "amount": units,
            "memo": memo,
            "paid": took,
            "steward_limit_left": left,
        },
        f"{text}\n{f.asset.format(left)} of the steward's limit left this period",
    )


@fund.command("claim")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@dry_run_option
@pass_context
def fund_claim(ctx: Context, fund_address: str) -> None:
    """Take a payment from FUND that was owed to you.

    Example: panarchy --account alice.json fund claim 0xF00D...
    """
    claim_output(ctx, "fund", open_fund(ctx, fund_address))


@fund.command("absorb")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@memo_option
@dry_run_option
@pass_context
def fund_absorb(ctx: Context, fund_address: str, memo_file: Path | None) -> None:
    """Book what FUND holds beyond its ledger as a contribution (the steward).

    Example: panarchy --account alice.json fund absorb 0xF00D... --memo found.md
    """
    f = open_fund(ctx, fund_address)
    signer = ctx.signer()
    memo = memo_cid(memo_file)
    if ctx.dry_run:
        emit_dry_run(
            ctx,
            f"book {f.asset.format(f.summary().unaccounted)} unaccounted in fund {f.address}",
            f.absorb_unaccounted(signer, memo, dry_run=True),
        )
        return
    got = f.absorb_unaccounted(signer, memo)
    ctx.emit(
        {"fund": f.address, "amount": got, "memo": memo},
        f"booked {f.asset.format(got)} unaccounted in fund {f.address} as a contribution",
    )


@fund.command("ledger")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@format_choice()
@pass_context
def fund_ledger(ctx: Context, fund_address: str, fmt: str | None, out: Path | None) -> None:
    """FUND's ledger: every contribution and payment, oldest first.

    Example: panarchy fund ledger 0xF00D... --format csv --out ledger.csv
    """
    ledger_output(ctx, "fund", open_fund(ctx, fund_address), fmt, out)


@fund.command("audit")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@pass_context
def fund_audit(ctx: Context, fund_address: str) -> None:
    """Replay FUND's ledger from chain history; exit status 1 when it does not reconcile.

    Example: panarchy fund audit 0xF00D...
    """
    audit_output(ctx, "fund", open_fund(ctx, fund_address).audit())


@fund.command("plot")
@click.argument("fund_address", metavar="FUND", type=ADDRESS)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PNG to write.",
)
@pass_context
def fund_plot(ctx: Context, fund_address: str, out: Path) -> None:
    """Draw FUND's balance over time as a PNG.

    Example: panarchy fund plot 0xF00D... --out balance.png
    """
    if out.suffix.lower() != ".png":
        raise click.BadParameter(
            f"{out} does not end in .png: the picture is a PNG", param_hint="--out"
        )
    f = open_fund(ctx, fund_address)
    found = f.audit()
    plot_balance(found, out)
    verdict = "reconciles" if found.reconciles else "does NOT reconcile"
    ctx.emit(
        {"out": str(out), "points": len(found.points), "reconciles": found.reconciles},
        f"wrote {escape(str(out))}: {len(found.points)} points; the ledger {verdict}",
    )
