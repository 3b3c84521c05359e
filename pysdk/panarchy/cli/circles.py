"""``panarchy circle``: rotating savings circles, the solidarity fund's rotating mode.

Rounds and positions are numbered from 1 on screen; ``--json`` keeps the SDK's 0-based
indices and gives amounts in base units (wei).
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Group
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
    open_circle,
    token_asset,
)
from panarchy.cli._options import (
    ADDRESS,
    dry_run_option,
    memo_option,
    parse_duration,
)
from panarchy.funds import SavingsCircle, circles_of

__all__ = ["circle"]


def _state(c: SavingsCircle) -> str:
    """What is true of the circle now: its round, or every pot paid and who still owes."""
    return c.status().describe()


@click.group()
def circle() -> None:
    """Rotating savings circles: everyone pays each round; each round's pot goes to one.

    Example: panarchy circle list
    """


@circle.command("create")
@click.option(
    "--participant",
    "participants",
    type=ADDRESS,
    multiple=True,
    required=True,
    help="A participant, in the order they receive (repeat).",
)
@click.option(
    "--contribution",
    metavar="AMOUNT",
    required=True,
    help="What each participant pays per round (e.g. 0.1).",
)
@click.option(
    "--round",
    "round_length",
    metavar="DURATION",
    required=True,
    help="The length of a round (e.g. 7d).",
)
@click.option("--token", type=ADDRESS, help="An ERC20 token's address (default: ETH).")
@dry_run_option
@pass_context
def circle_create(
    ctx: Context,
    participants: tuple[str, ...],
    contribution: str,
    round_length: str,
    token: str | None,
) -> None:
    """Create a savings circle for the charter (members may); the first round opens now.

    Example: panarchy circle create --participant 0xA... --participant 0xB...
    --contribution 0.1 --round 7d --dry-run
    """
    length = parse_duration(round_length)
    asset = token_asset(ctx, token)
    units = amount(asset, contribution, "--contribution")
    charter = ctx.charter()
    if ctx.dry_run:
        sim = SavingsCircle.create(
            ctx.chain, ctx.signer(), factory=factory(ctx).address, charter=charter,
            participants=list(participants), contribution=units, round_length=length,
            token=token, dry_run=True,
        )  # fmt: skip
        emit_dry_run(
            ctx,
            f"create circle {sim.result}: {len(participants)} participants pay "
            f"{asset.format(units)} every {format_duration(length)}",
            sim,
        )
        return
    made = SavingsCircle.create(
        ctx.chain,
        ctx.signer(),
        factory=factory(ctx).address,
        charter=charter,
        participants=list(participants),
        contribution=units,
        round_length=length,
        token=token,
    )
    order = "\n".join(f"  {i}. {p}" for i, p in enumerate(made.order, 1))
    ctx.emit(
        {
            "circle": made.address,
            "charter": charter.address,
            "asset": made.asset,
            "contribution": units,
            "round_length": length,
            "participants": made.order,
            "start": made.start,
        },
        f"circle {made.address} for {escape(repr(charter.name))}: {len(made.order)} "
        f"participants pay {asset.format(units)} every {format_duration(length)}; "
        "the pots go, in turn, to\n"
        f"{order}\nuse it with: panarchy circle contribute {made.address}",
    )


@circle.command("list")
@pass_context
def circle_list(ctx: Context) -> None:
    """List the charter's savings circles.

    Example: panarchy --json circle list
    """
    charter = ctx.charter()
    made_by = factory(ctx)
    found = circles_of(ctx.chain, made_by.address, charter.address, from_block=made_by.block)
    rows = []
    table = Table(title=f"Savings circles of {escape(charter.name)}")
    for col in ("circle", "participants", "pays", "every", "state", "next recipient"):
        table.add_column(col, no_wrap=col == "circle")
    for c in found:
        status = c.status()
        state = status.describe()
        nxt = None if c.is_dissolved or c.is_complete else c.next_recipient
        rows.append(
            {
                "circle": c.address,
                "asset": c.asset,
                "participants": c.order,
                "contribution": c.contribution,
                "round_length": c.round_length,
                "state": state,
                "status": status,
                "next_recipient": nxt,
            }
        )
        table.add_row(
            c.address,
            str(len(c.order)),
            c.asset.format(c.contribution),
            format_duration(c.round_length),
            state,
            nxt or "—",
        )
    ctx.emit(
        rows,
        table  # type: ignore[arg-type]
        if found
        else "no savings circles yet: create one with `panarchy circle create --participant ...`",
    )


@circle.command("show")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@pass_context
def circle_show(ctx: Context, circle_address: str) -> None:
    """Show a circle: participants, rounds with their pots and recipients, who is next.

    Example: panarchy circle show 0xF00D...
    """
    c = open_circle(ctx, circle_address)
    a = c.asset
    people = c.participants()
    rounds = c.rounds()
    nxt = None if c.is_dissolved or c.is_complete else c.next_recipient
    extra = c.unaccounted
    status = c.status()
    who = Table(title="Participants")
    for col in ("#", "participant", "paid rounds", "received", "owes", "refund due", "owed"):
        who.add_column(col, no_wrap=col == "participant")
    for p in people:
        who.add_row(
            str(p.position + 1),
            p.address,
            str(p.paid_rounds),
            "—" if p.received_in is None else f"round {p.received_in + 1}",
            f"{p.owes_rounds} ({a.format(p.owes_rounds * c.contribution)})"
            if p.owes_rounds
            else "—",
            a.format(p.refund_due) if p.refund_due else "—",
            a.format(p.owed) if p.owed else "—",
        )
    when = Table(title="Rounds")
    for col in ("round", "opens (UTC)", "ends (UTC)", "pot", "recipient"):
        when.add_column(col, no_wrap=col == "recipient")
    for r in rounds:
        when.add_row(
            str(r.index + 1),
            f"{r.opens_at:%Y-%m-%d %H:%M}",
            f"{r.ends_at:%Y-%m-%d %H:%M}",
            a.format(r.pot),
            r.recipient or "—",
        )
    head = (
        f"[bold]Savings circle {c.address}[/] of charter {c.owner}, in {a.symbol}\n"
        f"{len(c.order)} participants pay {a.format(c.contribution)} every "
        f"{format_duration(c.round_length)} from {c.start:%Y-%m-%d %H:%M} UTC; "
        f"{status.describe()}, {c.settled_rounds} settled; holds {a.format(c.holdings)}\n"
        + (
            f"{a.format(extra)} arrived outside the ledger: anyone may share it among the "
            f"participants with `panarchy circle sweep {c.address}`\n"
            if extra
            else ""
        )
        + (
            "next recipient: " + (nxt or "nobody yet (they must have paid every round so far)")
            if not (c.is_dissolved or c.is_complete)
            else ""
        )
    )
    data = {
        "address": c.address,
        "owner": c.owner,
        "asset": a,
        "contribution": c.contribution,
        "round_length": c.round_length,
        "start": c.start,
        "current_round": c.current_round,
        "settled_rounds": c.settled_rounds,
        "complete": status.complete,
        "settled_up": status.settled_up,
        "dissolved": status.dissolved,
        "status": status.describe(),
        "owing": [{"participant": who, "oldest_round": r} for who, r in status.owing],
        "holdings": c.holdings,
        "unaccounted": extra,
        "next_recipient": nxt,
        "participants": people,
        "rounds": rounds,
    }
    ctx.emit(data, Group(head, who, when))  # type: ignore[arg-type]


@circle.command("contribute")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@memo_option
@dry_run_option
@pass_context
def circle_contribute(ctx: Context, circle_address: str, memo_file: Path | None) -> None:
    """Pay your contribution for the oldest round you owe.

    Example: panarchy circle contribute 0xCircle... --dry-run
    """
    c = open_circle(ctx, circle_address)
    signer = ctx.signer()
    memo = memo_cid(memo_file)
    if ctx.dry_run:
        approve = c.needs_approval(signer.address)
        sim = c.contribute(signer, memo, dry_run=True)
        emit_dry_run(
            ctx,
            f"{signer.address} approves circle {c.address} for "
            f"{c.asset.format(c.contribution)} (the first of two transactions)"
            if approve
            else f"{signer.address} pays {c.asset.format(c.contribution)} into circle {c.address}",
            sim,
            needs_approval=approve,
        )
        return
    paid = c.contribute(signer, memo)
    ctx.emit(
        {
            "circle": c.address,
            "participant": signer.address,
            "round": paid,
            "amount": c.contribution,
            "memo": memo,
        },
        f"{signer.address} paid {c.asset.format(c.contribution)} into round {paid + 1} of "
        f"{len(c.order)} of circle {c.address}" + (f" (memo {memo})" if memo else ""),
    )


@circle.command("settle")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@dry_run_option
@pass_context
def circle_settle(ctx: Context, circle_address: str) -> None:
    """Pay the oldest unsettled round's pot, once the round is over (anyone may).

    Example: panarchy --account alice.json circle settle 0xF00D...
    """
    c = open_circle(ctx, circle_address)
    index = c.settled_rounds
    pot = int(c.contract.functions.pot(index).call())
    if ctx.dry_run:
        sim = c.settle(ctx.signer(), dry_run=True)
        emit_dry_run(
            ctx,
            f"settle round {index + 1} of {len(c.order)}: {c.asset.format(pot)} to {sim.result}",
            sim,
            round=index,
            pot=pot,
        )
        return
    recipient = c.settle(ctx.signer())
    ctx.emit(
        {"circle": c.address, "round": index, "recipient": recipient, "pot": pot},
        f"round {index + 1} of {len(c.order)} settled: {c.asset.format(pot)} to {recipient}",
    )


@circle.command("dissolve")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@dry_run_option
@pass_context
def circle_dissolve(ctx: Context, circle_address: str) -> None:
    """Dissolve a stalled circle (its last round a whole round overdue; anyone may).

    Example: panarchy --account alice.json circle dissolve 0xF00D... --dry-run
    """
    c = open_circle(ctx, circle_address)
    if ctx.dry_run:
        emit_dry_run(ctx, f"dissolve circle {c.address}", c.dissolve(ctx.signer(), dry_run=True))
        return
    c.dissolve(ctx.signer())
    ctx.emit(
        {"circle": c.address, "dissolved": True},
        f"circle {c.address} dissolved: those who paid in more than they received take back "
        f"their share of the unsettled rounds with `panarchy circle withdraw {c.address}`",
    )


@circle.command("withdraw")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@dry_run_option
@pass_context
def circle_withdraw(ctx: Context, circle_address: str) -> None:
    """After a dissolution, take your share of the unsettled rounds (if you paid in more
    than you received).

    Example: panarchy --account alice.json circle withdraw 0xF00D...
    """
    c = open_circle(ctx, circle_address)
    signer = ctx.signer()
    if ctx.dry_run:
        due = int(c.contract.functions.refund_due(signer.address).call())
        emit_dry_run(
            ctx,
            f"{signer.address} takes back {c.asset.format(due)} from circle {c.address}",
            c.withdraw(signer, dry_run=True),
        )
        return
    got = c.withdraw(signer)
    ctx.emit(
        {"circle": c.address, "participant": signer.address, "amount": got},
        f"{signer.address} took back {c.asset.format(got)} from circle {c.address}",
    )


@circle.command("sweep")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@memo_option
@dry_run_option
@pass_context
def circle_sweep(ctx: Context, circle_address: str, memo_file: Path | None) -> None:
    """Share what CIRCLE holds beyond its ledger (forced ETH, tokens sent to it directly)
    equally among its participants (anyone may, at any time).

    Example: panarchy --account alice.json circle sweep 0xF00D... --memo found.md
    """
    c = open_circle(ctx, circle_address)
    memo = memo_cid(memo_file)
    if ctx.dry_run:
        sim = c.sweep_unaccounted(ctx.signer(), memo, dry_run=True)
        emit_dry_run(
            ctx,
            f"share {c.asset.format(int(sim.result))} among the {len(c.order)} participants "
            f"of circle {c.address}",
            sim,
        )
        return
    shares = c.sweep_unaccounted(ctx.signer(), memo)
    owed = {p.address: p.owed for p in c.participants()}
    total = sum(shares.values())
    lines = [
        f"{c.asset.format(total)} shared among the {len(shares)} participants of circle "
        f"{c.address}:"
    ]
    for who, got in shares.items():
        lines.append(
            f"  {who}: {c.asset.format(got)}"
            + (" (refused: owed, to claim with `panarchy circle claim`)" if owed[who] else "")
        )
    ctx.emit(
        {"circle": c.address, "amount": total, "shares": shares, "memo": memo}, "\n".join(lines)
    )


@circle.command("claim")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@dry_run_option
@pass_context
def circle_claim(ctx: Context, circle_address: str) -> None:
    """Take a pot (or late payment) from the circle that was owed to you.

    Example: panarchy --account alice.json circle claim 0xF00D...
    """
    claim_output(ctx, "circle", open_circle(ctx, circle_address))


@circle.command("ledger")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@format_choice()
@pass_context
def circle_ledger(ctx: Context, circle_address: str, fmt: str | None, out: Path | None) -> None:
    """CIRCLE's ledger: every contribution and payment, oldest first.

    Example: panarchy circle ledger 0xF00D... --format json
    """
    ledger_output(ctx, "circle", open_circle(ctx, circle_address), fmt, out)


@circle.command("audit")
@click.argument("circle_address", metavar="CIRCLE", type=ADDRESS)
@pass_context
def circle_audit(ctx: Context, circle_address: str) -> None:
    """Replay CIRCLE's ledger from chain history; exit status 1 when it does not reconcile.

    Example: panarchy circle audit 0xF00D...
    """
    audit_output(ctx, "circle", open_circle(ctx, circle_address).audit())
