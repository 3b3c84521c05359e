"""``panarchy role``: a charter's short, rotating, recallable mandates, who may volunteer for
them; and the ``propose`` subcommands that bound volunteering and clear a roster (defining,
appointing and recalling are in :mod:`panarchy.cli.proposals`)."""

from __future__ import annotations

import click
from rich.console import Group
from rich.markup import escape
from rich.table import Table

from panarchy.charter.roles import Mandate, RoleBook, RoleTerms, format_duration, role_id
from panarchy.cli._context import Context, pass_context
from panarchy.cli._money import emit_dry_run
from panarchy.cli._options import (
    ADDRESS,
    body_option,
    dry_run_option,
    parse_duration,
    title_option,
)
from panarchy.cli.charter import _propose, propose
from panarchy.errors import ConfigurationError, MemberTooNewToVolunteer

__all__ = ["role"]


def _left(m: Mandate) -> str:
    return format_duration(m.time_left) if m.in_force else "—"


def _until(m: Mandate) -> str:
    return f"{m.expires_at:%Y-%m-%d %H:%M}" if m.in_force and m.expires_at else "—"


def _volunteering(terms: RoleTerms | None) -> str:
    """Who may volunteer, for tables: any member, or members of at least the minimum age."""
    if terms is None:
        return "—"
    if not terms.min_volunteer_age:
        return "any member"
    return f"members of ≥{format_duration(terms.min_volunteer_age)}"


def _defined(book: RoleBook, name: str) -> RoleTerms:
    """The role's terms; one clear line when the charter has no such role."""
    role_id(name)  # a bad name (empty, too long) is its own error
    terms = book.terms(name)
    if terms is None:
        known = ", ".join(book.names()) or "none yet"
        raise ConfigurationError(
            f"the charter has no role {name!r} (its roles: {known}); define one with "
            f"`panarchy propose define-role {name} --term 30d --title ...`"
        )
    return terms


@click.group()
def role() -> None:
    """The charter's roles: who holds which mandate, until when, and who is next.

    Example: panarchy role list
    """


@role.command("list")
@pass_context
def role_list(ctx: Context) -> None:
    """Every role: its holder, when the mandate expires, the time left, the roster size, the
    terms and who may volunteer (the minimum membership age).

    Example: panarchy --json role list
    """
    book = ctx.charter().roles
    rows = []
    table = Table(title="Roles")
    for col in ("role", "holder", "expires (UTC)", "time left", "roster", "term", "volunteers"):
        table.add_column(col, no_wrap=col == "holder")
    for name in book.names():
        m = book.mandate(name)
        terms = book.terms(name)
        roster = book.roster(name)
        rows.append(
            {
                "role": name,
                "terms": terms,
                "min_volunteer_age": terms.min_volunteer_age if terms else None,
                "mandate": m,
                "time_left": m.time_left,
                "roster": roster,
            }
        )
        term = (
            f"{format_duration(terms.term)}, ≤{terms.max_consecutive_terms} in a row"
            if terms
            else "—"
        )
        table.add_row(
            escape(name),
            m.holder if m.in_force and m.holder else "vacant",
            _until(m),
            _left(m),
            str(len(roster)),
            term,
            _volunteering(terms),
        )
    ctx.emit(
        rows,
        table  # type: ignore[arg-type]
        if rows
        else "no roles yet: propose one with "
        "`panarchy propose define-role NAME --term 30d --max-terms 2 --title ...`",
    )


@role.command("show")
@click.argument("name")
@pass_context
def role_show(ctx: Context, name: str) -> None:
    """One role: its terms, who may volunteer, the mandate, the rotation order, who is next,
    its history.

    Example: panarchy role show steward
    """
    book = ctx.charter().roles
    terms = _defined(book, name)
    m = book.mandate(name)
    order = book.rotation_order(name)
    nxt = book.next_in_rotation(name)
    history = book.history(name)
    if m.in_force:
        mandate = (
            f"held by {m.holder} since {m.started_at:%Y-%m-%d %H:%M} UTC, until {_until(m)} UTC "
            f"({_left(m)} left; term {m.consecutive_terms} in a row; bound to seat #{m.seat}, "
            "it ends if they leave)"
        )
    else:
        ended = "early" if m.ended_early else "at its term"
        mandate = (
            f"vacant (the last mandate, {m.holder}'s, ended {ended})" if m.holder else "vacant"
        )
    rotation = "\n".join(
        f"  {i}. {a}" + (" (holds it)" if a == m.holder and m.in_force else "")
        for i, a in enumerate(order, 1)
    )
    events = Table(title="History")
    for col in ("block", "what", "holder", "until (UTC)"):
        events.add_column(col, no_wrap=col == "holder")
    for e in history:
        until = f"{e.expires_at:%Y-%m-%d %H:%M}" if e.expires_at else "—"
        events.add_row(str(e.block), e.kind, e.holder, until)
    head = (
        f"[bold]{escape(name)}[/]: terms of {format_duration(terms.term)}, at most "
        f"{terms.max_consecutive_terms} in a row\n"
        f"volunteering: {_volunteering(terms)}"
        + (" (counted from one's latest join)" if terms.min_volunteer_age else "")
        + f"\nmandate: {mandate}\n"
        f"rotation order ({len(order)} volunteer(s)):\n{rotation or '  nobody has volunteered'}\n"
        f"next in rotation: {nxt or 'nobody eligible'}"
    )
    data = {
        "role": name,
        "terms": terms,
        "min_volunteer_age": terms.min_volunteer_age,
        "mandate": m,
        "time_left": m.time_left,
        "rotation_order": order,
        "next_in_rotation": nxt,
        "history": history,
    }
    ctx.emit(data, Group(head, events) if history else head + "\nno history yet")  # type: ignore[arg-type]


@role.command("volunteer")
@click.argument("name")
@dry_run_option
@pass_context
def role_volunteer(ctx: Context, name: str) -> None:
    """Put yourself on NAME's roster (members who have been members long enough).

    Example: panarchy role volunteer steward --dry-run
    """
    book = ctx.charter().roles
    signer = ctx.signer()
    try:
        sim = book.volunteer(signer, name, dry_run=ctx.dry_run)
    except MemberTooNewToVolunteer as exc:
        # The role book refused; say from when it will not (read from the chain, not decided here).
        joined, age = book.joined_at(signer.address), book.min_volunteer_age(name)
        if joined is None or not age:
            raise
        raise MemberTooNewToVolunteer(
            exc.reason,
            f"{exc.reason}: {name} takes members of at least {format_duration(age)}; you joined "
            f"{joined:%Y-%m-%d %H:%M} UTC, so you may volunteer from "
            f"{joined + age:%Y-%m-%d %H:%M:%S} UTC",
        ) from exc
    if sim is not None:
        emit_dry_run(ctx, f"{signer.address} volunteers for {name}", sim)
        return
    place = book.rotation_order(name).index(signer.address) + 1
    ctx.emit(
        {"role": name, "volunteer": signer.address, "place": place},
        f"{signer.address} volunteered for {escape(name)}: number {place} in the rotation order",
    )


@role.command("withdraw")
@click.argument("name")
@dry_run_option
@pass_context
def role_withdraw(ctx: Context, name: str) -> None:
    """Take yourself off NAME's roster (always possible).

    Example: panarchy --account alice.json role withdraw steward
    """
    book = ctx.charter().roles
    signer = ctx.signer()
    sim = book.withdraw(signer, name, dry_run=ctx.dry_run)
    if sim is not None:
        emit_dry_run(ctx, f"{signer.address} leaves the {name} roster", sim)
        return
    ctx.emit(
        {"role": name, "withdrawn": signer.address},
        f"{signer.address} is off the {escape(name)} roster",
    )


@role.command("remove")
@click.argument("name")
@click.argument("address", type=ADDRESS)
@dry_run_option
@pass_context
def role_remove(ctx: Context, name: str, address: str) -> None:
    """Take ADDRESS, who left the charter, off NAME's roster (anyone may).

    Example: panarchy --account alice.json role remove steward 0x7099...
    """
    sim = ctx.charter().roles.remove_volunteer(ctx.signer(), name, address, dry_run=ctx.dry_run)
    if sim is not None:
        emit_dry_run(ctx, f"take {address} off the {name} roster", sim)
        return
    ctx.emit(
        {"role": name, "removed": address},
        f"{address} is off the {escape(name)} roster",
    )


@role.command("resign")
@click.argument("name")
@dry_run_option
@pass_context
def role_resign(ctx: Context, name: str) -> None:
    """End your own mandate for NAME now.

    Example: panarchy --account alice.json role resign steward
    """
    book = ctx.charter().roles
    signer = ctx.signer()
    sim = book.resign(signer, name, dry_run=ctx.dry_run)
    if sim is not None:
        emit_dry_run(ctx, f"{signer.address} resigns as {name}", sim)
        return
    nxt = book.next_in_rotation(name)
    ctx.emit(
        {"role": name, "resigned": signer.address, "next_in_rotation": nxt},
        f"{signer.address} resigned as {escape(name)}; "
        + (
            f"`panarchy role rotate {escape(name)}` hands it to {nxt}"
            if nxt
            else "nobody on the roster is eligible to rotate in"
        ),
    )


@role.command("rotate")
@click.argument("name")
@dry_run_option
@pass_context
def role_rotate(ctx: Context, name: str) -> None:
    """Hand NAME, held by nobody, to the next eligible volunteer (anyone may).

    Example: panarchy role rotate steward --dry-run
    """
    book = ctx.charter().roles
    if ctx.dry_run:
        sim = book.rotate(ctx.signer(), name, dry_run=True)
        emit_dry_run(ctx, f"{name} rotates to {sim.result}", sim)
        return
    holder = book.rotate(ctx.signer(), name)
    m = book.mandate(name)
    ctx.emit(
        {"role": name, "holder": holder, "mandate": m},
        f"{escape(name)} rotated to {holder}, until {_until(m)} UTC",
    )


# --- proposals for rosters (they join the `propose` group) -----------------------------------


@propose.command("volunteer-age")
@click.argument("name")
@click.option(
    "--age",
    metavar="DURATION",
    required=True,
    help="How long one must have been a member (since one's latest join) to volunteer, "
    "e.g. 30d; 0s lets any member volunteer.",
)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_volunteer_age(ctx: Context, name: str, age: str, title: str, body: str) -> None:
    """Propose a minimum membership age for volunteering for role NAME (volunteers already
    on its roster stay: add `propose clear-roster` to take them off).

    Example: panarchy role propose volunteer-age steward --age 14d --title "Two weeks first"
    """
    charter = ctx.charter()
    action = charter.actions.set_min_volunteer_age(name, parse_duration(age))
    if charter.roles.terms(name) is None:
        click.echo(
            f"note: there is no role {name!r} yet: this proposal executes only after a "
            "define-role proposal for it has",
            err=True,
        )
    _propose(ctx, [action], title, body)


@propose.command("clear-roster")
@click.argument("name")
@click.option(
    "--age",
    metavar="DURATION",
    help="Also set the minimum membership age for volunteering again (one proposal).",
)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_clear_roster(ctx: Context, name: str, age: str | None, title: str, body: str) -> None:
    """Propose to take every volunteer off role NAME's roster (a mandate in force stays).

    Example: panarchy role propose clear-roster steward --title "A fresh roster"
    """
    charter = ctx.charter()
    actions = []
    if age is not None:
        actions.append(charter.actions.set_min_volunteer_age(name, parse_duration(age)))
    actions.append(charter.actions.clear_roster(name))
    _propose(ctx, actions, title, body)
