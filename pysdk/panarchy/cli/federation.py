"""``panarchy federation``: a federation's member charters and how their voices stand, a
delegate's vote for its charter, and the proposals a member charter makes to join, vote in,
propose to or leave a federation (``--charter`` is the member charter)."""

from __future__ import annotations

import click
from rich.table import Table

from panarchy.cli._context import Context, pass_context
from panarchy.cli._options import ADDRESS, body_option, dry_run_option, title_option
from panarchy.cli.charter import _SUPPORT, _propose, propose
from panarchy.federation import DELEGATE_ROLE, Federation


@click.group()
def federation() -> None:
    """Federations: charters whose members are charters.

    A member charter acts in a federation only by its own proposals (`panarchy federation
    propose join|vote|leave`, with --charter the member charter); between them, the holder
    of its "delegate" role may vote for it (`vote-as-delegate`), and its own vote replaces
    the delegate's.

    Example: panarchy federation show 0xFederation… --proposal 1
    """


@federation.command("show")
@click.argument("federation_address", metavar="FEDERATION", type=ADDRESS)
@click.option("--proposal", "proposal_id", type=int, help="How each member's voice stands on it.")
@pass_context
def federation_show(ctx: Context, federation_address: str, proposal_id: int | None) -> None:
    """The member charters, their delegates, and (with --proposal) how each voice stands.

    Example: panarchy federation show 0xFederation… --proposal 2
    """
    fed = Federation(ctx.chain, federation_address)
    members = fed.charter.members()
    rows = []
    table = Table(title=f"{fed.charter.name}: {len(members)} member charter(s)")
    for col in ("member charter", "delegate now", *(("voice",) if proposal_id else ())):
        table.add_column(col, no_wrap=True)
    for member in members:
        if proposal_id is not None:
            vote = fed.member_vote(proposal_id, member)
            voice = (
                "voted by its delegate"
                if vote.by_delegate
                else "voted as a body"
                if vote.voted
                else "not voted"
            )
            rows.append({"member": member, "delegate": vote.delegate, "voice": voice})
            table.add_row(member, vote.delegate or "none", voice)
        else:
            delegate = fed.delegate_of_member(member)
            rows.append({"member": member, "delegate": delegate})
            table.add_row(member, delegate or "none")
    ctx.emit(rows, table)  # type: ignore[arg-type]


@federation.command("vote-as-delegate")
@click.argument("federation_address", metavar="FEDERATION", type=ADDRESS)
@click.argument("member", type=ADDRESS)
@click.argument("proposal_id", type=int)
@click.argument("support", type=click.Choice(list(_SUPPORT)))
@dry_run_option
@pass_context
def federation_vote_as_delegate(
    ctx: Context, federation_address: str, member: str, proposal_id: int, support: str
) -> None:
    """Vote for MEMBER (a member charter) on PROPOSAL_ID, as the holder of its
    "delegate" role. The member charter's own vote later replaces it.

    Example: panarchy --dev-account 0 federation vote-as-delegate 0xFed… 0xMember… 1 for
    """
    fed = Federation(ctx.chain, federation_address)
    signer = ctx.signer()
    sim = fed.vote_as_delegate(signer, member, proposal_id, _SUPPORT[support], dry_run=ctx.dry_run)
    if sim is not None:
        ctx.would(sim, f"{signer.address} votes {support} on #{proposal_id} for {member}",
                  proposal=proposal_id, member=member, support=support)  # fmt: skip
        return
    ctx.emit(
        {"proposal": proposal_id, "member": member, "delegate": signer.address, "support": support},
        f"{signer.address} voted {support} on #{proposal_id} for {member} (as its "
        f"{DELEGATE_ROLE}; its own vote would replace this one)",
    )


# --- the member charter's proposals (with --charter the member charter) -------------------


@propose.command("federation-join")
@click.argument("federation_address", metavar="FEDERATION", type=ADDRESS)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_federation_join(ctx: Context, federation_address: str, title: str, body: str) -> None:
    """Propose that this charter join FEDERATION.

    Example: panarchy propose federation-join 0xFed… --title "Join the river federation"
    """
    _propose(ctx, [Federation(ctx.chain, federation_address).join_action()], title, body)


@propose.command("federation-vote")
@click.argument("federation_address", metavar="FEDERATION", type=ADDRESS)
@click.argument("proposal_id", type=int)
@click.argument("support", type=click.Choice(list(_SUPPORT)))
@title_option
@body_option
@dry_run_option
@pass_context
def propose_federation_vote(
    ctx: Context, federation_address: str, proposal_id: int, support: str, title: str, body: str
) -> None:
    """Propose that this charter vote SUPPORT on FEDERATION's PROPOSAL_ID as a body (it
    replaces its delegate's vote).

    Example: panarchy propose federation-vote 0xFed… 2 against --title "We object"
    """
    action = Federation(ctx.chain, federation_address).vote_action(proposal_id, _SUPPORT[support])
    _propose(ctx, [action], title, body)


@propose.command("federation-leave")
@click.argument("federation_address", metavar="FEDERATION", type=ADDRESS)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_federation_leave(ctx: Context, federation_address: str, title: str, body: str) -> None:
    """Propose that this charter leave FEDERATION (leaving always works).

    Example: panarchy propose federation-leave 0xFed… --title "We go our own way"
    """
    _propose(ctx, [Federation(ctx.chain, federation_address).leave_action()], title, body)


__all__ = ["federation"]
