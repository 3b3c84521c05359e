"""The charter verbs: found, show, join, leave, propose, vote, execute, read.

Every write takes ``--dry-run``: the chain says whether it would pass and what it would cost,
and nothing is sent (a refusal is the contract's reason, as any error).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from panarchy.charter import Charter
from panarchy.charter.types import Action, Admission, Parameters, Support
from panarchy.cli._context import Context, pass_context, to_jsonable
from panarchy.cli._options import (
    body_option,
    dry_run_option,
    parse_duration,
    term_option,
    title_option,
)
from panarchy.deploy import DeploymentRecord, deploy_charter, deploy_factory
from panarchy.documents import (
    CIDMismatch,
    Document,
    DocumentError,
    DocumentNotFound,
    DocumentStore,
    InvalidDocument,
    StoreUnavailable,
    open_store,
    split_title,
    store_document,
)
from panarchy.errors import ConfigurationError, UpgradeableTargetWarning

_SUPPORT = {"for": Support.FOR, "against": Support.AGAINST, "abstain": Support.ABSTAIN}


def _store():  # type: ignore[no-untyped-def]
    return open_store()


@dataclass(frozen=True)
class _Described:
    """What a linked document says: its title and body, or why it could not be read."""

    cid: str | None
    title: str | None = None
    body: str | None = None
    error: str | None = None

    @property
    def heading(self) -> str:
        """The title, or a marker saying why there is none (never empty)."""
        return self.title if self.title is not None else f"({self.error})"

    def to_json(self) -> dict[str, str | None]:
        return {"cid": self.cid, "title": self.title, "body": self.body, "error": self.error}


def _describe(store: DocumentStore, cid: str | None) -> _Described:
    """Read ``cid`` from the store, verified against it, as ``doc show`` does: a structured
    document, or a plain text file (its first heading is the title). A document that cannot
    be read or verified says why instead, and never raises."""
    if not cid:
        return _Described(cid, error="no description")
    try:
        data = store.get(cid)  # the store recomputes the CID of what it serves
    except CIDMismatch:
        return _Described(cid, error="unverified: content does not match its CID")
    except DocumentNotFound:
        return _Described(cid, error="not in the document store")
    except StoreUnavailable:
        return _Described(cid, error="document store unavailable")
    except (DocumentError, OSError) as exc:
        return _Described(cid, error=f"unreadable: {type(exc).__name__}")
    try:
        document = Document.from_bytes(data)
        return _Described(cid, document.title, document.body)
    except InvalidDocument:
        pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _Described(cid, error="not a document")
    if text.lstrip().startswith(("{", "[")) or "\x00" in text:
        return _Described(cid, error="not a valid document")
    title, body = split_title(text)
    return _Described(cid, title, body) if title else _Described(cid, None, body, "untitled text")


def _titled(items: Sequence[object], described: list[_Described]) -> list[dict[str, Any]]:
    """Each item as JSON with its document's ``title`` (``null`` when it cannot be read)."""
    pairs = zip(items, described, strict=True)
    return [dict(to_jsonable(item), title=d.title) for item, d in pairs]


def _describe_all(cids: list[str | None]) -> list[_Described]:
    """Describe each CID (each read once), from one store opened for them all."""
    if not cids:
        return []
    try:
        store = _store()
    except (DocumentError, OSError):
        return [_Described(cid, error="document store unavailable") for cid in cids]
    try:
        seen: dict[str | None, _Described] = {}
        for cid in cids:
            if cid not in seen:
                seen[cid] = _describe(store, cid)
        return [seen[cid] for cid in cids]
    finally:
        store.close()


def _document_from(kind: str, path: Path | None, title: str | None, body: str | None) -> str:
    """Store a document from a Markdown file (its first line is the title) or from text."""
    if path is not None:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        heading = first.lstrip("#").strip()
        title = title or heading or path.stem
        body = rest.strip() if heading == title else text
    if not title:
        raise click.UsageError("give the document a --title (or a file whose first line is it)")
    return store_document(_store(), Document(kind=kind, title=title, body=body or ""))


@click.group("charter")
def charter_group() -> None:
    """The charter: read it, join or leave, delegate, propose, vote, execute.

    Each of these also answers at the top level (``panarchy show`` is ``panarchy charter
    show``); ``join``, ``vote``, ``propose`` and ``execute`` are listed there as shortcuts.

    Example: panarchy --charter 0xC0FFEE... charter show
    """


def register(main: click.Group) -> None:
    """Add the charter group, and its shortcuts, to the main group."""
    for command in (deploy, found, show, members, join, leave, sponsor, delegate, undelegate,
                    delegations, vote, execute, cancel, proposals, proposal, clauses,
                    report):  # fmt: skip
        charter_group.add_command(command)
    main.add_command(charter_group)
    for command in (join, vote, propose, execute):
        main.add_command(command)


@click.command()
@pass_context
def deploy(ctx: Context) -> None:
    """Deploy the Charter implementation and factory (once per chain).

    Example: panarchy --dev-account 0 charter deploy
    """
    record = DeploymentRecord.for_chain(ctx.chain, ctx.deployments)
    steps = deploy_factory(ctx.chain, ctx.signer(), record)
    ctx.emit(
        [{"step": s.name, "address": s.address, "outcome": s.outcome} for s in steps],
        "\n".join(f"{s.name}: {s.address} ({s.outcome})" for s in steps),
    )


@click.command()
@click.option("--name", required=True, help="The charter's name.")
@click.option(
    "--concord",
    "concord_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The founding concord (Markdown).",
)
@click.option(
    "--founder",
    "founders",
    multiple=True,
    required=True,
    help="A founding member's address (repeat).",
)
@click.option(
    "--revision-period", default="29.53d", show_default=True, help="Revision cycle length."
)
@click.option("--voting-period", default="7d", show_default=True)
@click.option("--execution-window", default="7d", show_default=True)
@click.option(
    "--max-term", type=int, default=12, show_default=True, help="Longest clause term, in cycles."
)
@click.option("--max-renewals", type=int, default=3, show_default=True)
@click.option(
    "--quorum",
    type=Decimal,
    default=Decimal("0.2"),
    show_default=True,
    help="Share of members, 0 to 1.",
)
@click.option("--supermajority", default="2/3", show_default=True)
@click.option("--consent-max-objections", type=int, default=0, show_default=True)
@click.option("--revision-quota", type=int, default=1, show_default=True)
@click.option(
    "--admission",
    type=click.Choice([a.name.lower() for a in Admission]),
    default="open",
    show_default=True,
)
@dry_run_option
@pass_context
def found(ctx: Context, name: str, concord_file: Path, founders: tuple[str, ...], **p: str) -> None:
    """Found a charter (deploys the factory first if this chain has none).

    Example: panarchy --dev-account 0 found --name Harbour --concord concord.md --founder 0x...
    """
    try:
        supermajority = Fraction(p["supermajority"])
    except (ValueError, ZeroDivisionError) as exc:
        raise click.BadParameter(f"{p['supermajority']!r} is not a fraction like 2/3") from exc
    params = Parameters(
        revision_period=parse_duration(p["revision_period"]),
        voting_period=parse_duration(p["voting_period"]),
        execution_window=parse_duration(p["execution_window"]),
        max_term_cycles=int(p["max_term"]),
        max_renewals=int(p["max_renewals"]),
        quorum=Decimal(p["quorum"]),
        supermajority=supermajority,
        consent_max_objections=int(p["consent_max_objections"]),
        revision_quota=int(p["revision_quota"]),
        admission=Admission[p["admission"].upper()],
    )
    concord = _document_from("concord", concord_file, None, None)
    record = DeploymentRecord.for_chain(ctx.chain, ctx.deployments)
    if ctx.dry_run:
        factory = record.address("CharterFactory")
        if factory is None:
            raise ConfigurationError(
                "no CharterFactory recorded for this chain, so founding cannot be simulated: "
                "run `panarchy deploy` first (or found without --dry-run, which deploys it)"
            )
        sim = Charter.simulate_found(ctx.chain, ctx.sender(), factory=factory, name=name,
                                     concord_cid=concord, founders=list(founders),
                                     parameters=params)  # fmt: skip
        ctx.would(sim, f"charter {name!r} founded at {sim.result} with {len(founders)} "
                       "founder(s)", charter=sim.result, concord=concord)  # fmt: skip
        return
    charter, steps = deploy_charter(
        ctx.chain, ctx.signer(), record, name=name, concord_cid=concord,
        founders=list(founders), parameters=params,
    )  # fmt: skip
    ctx.emit(
        {"charter": charter.address, "concord": concord, "steps": [s.outcome for s in steps]},
        f"charter {name!r} at {charter.address} ({steps[-1].outcome}); concord {concord}\n"
        f"use it with: --charter {charter.address}",
    )


@click.command()
@pass_context
def show(ctx: Context) -> None:
    """Show the charter: name, concord, parameters, members, cycle.

    Example: panarchy --charter 0xC4A3... charter show
    """
    c = ctx.charter()
    p = c.parameters
    data = {
        "address": c.address, "name": c.name, "concord": c.concord_cid,
        "founded_at": c.founded_at, "member_count": c.member_count,
        "current_cycle": c.current_cycle, "parameters": p,
    }  # fmt: skip
    text = (
        f"[bold]{c.name}[/] {c.address}\nconcord {c.concord_cid}, founded {c.founded_at:%Y-%m-%d}\n"
        f"{c.member_count} members, cycle {c.current_cycle}\n"
        f"revision period {p.revision_period}, voting {p.voting_period}, window "
        f"{p.execution_window}, quorum {p.quorum:.0%}, supermajority {p.supermajority}, "
        f"admission {p.admission.name.lower()}"
    )
    ctx.emit(data, text)


@click.command()
@pass_context
def members(ctx: Context) -> None:
    """List the members.

    Example: panarchy --json members
    """
    found_members = ctx.charter().members()
    ctx.emit(found_members, "\n".join(found_members) or "no members")


@click.command()
@dry_run_option
@pass_context
def join(ctx: Context) -> None:
    """Join the charter.

    Example: panarchy --account me.json join --dry-run
    """
    if ctx.dry_run:
        who = ctx.sender()
        ctx.would(ctx.charter().simulate.join(who), f"{who} joins", joined=who)
        return
    signer = ctx.signer()  # first: a missing account is said before a bad charter
    ctx.charter().join(signer)
    ctx.emit({"joined": signer.address}, f"{signer.address} joined")


@click.command()
@dry_run_option
@pass_context
def leave(ctx: Context) -> None:
    """Leave the charter (always possible).

    Example: panarchy --account alice.json leave --dry-run
    """
    if ctx.dry_run:
        who = ctx.sender()
        ctx.would(ctx.charter().simulate.leave(who), f"{who} leaves", left=who)
        return
    signer = ctx.signer()
    ctx.charter().leave(signer)
    ctx.emit({"left": signer.address}, f"{signer.address} left")


@click.command()
@click.argument("address")
@dry_run_option
@pass_context
def sponsor(ctx: Context, address: str) -> None:
    """Sponsor ADDRESS for membership (admission by sponsorship).

    Example: panarchy --account alice.json sponsor 0x7099...
    """
    charter = ctx.charter()
    if ctx.dry_run:
        sim = charter.simulate.sponsor(ctx.sender(), address)
        ctx.would(sim, f"{address} is sponsored and may then join", sponsored=address)
        return
    charter.sponsor(ctx.signer(), address)
    ctx.emit({"sponsored": address}, f"sponsored {address}; they may now join")


# --- proposals ---------------------------------------------------------------------------


def _propose(ctx: Context, build: list[Action], title: str, body: str) -> None:
    """Propose ``build`` (or, with ``--dry-run``, say whether the proposal would be made)."""
    charter = ctx.charter()
    # Said before proposing, on stderr (JSON output stays clean): what the vote cannot see.
    for warning in charter.target_warnings(build):
        click.echo(f"warning: {warning}", err=True)
    # Stored locally even in a dry run: the simulation needs its CID (nothing goes on chain).
    description = store_document(_store(), Document(kind="proposal", title=title, body=body))
    if ctx.dry_run:
        sim = charter.simulate.propose(ctx.sender(), build, description)
        what = "; ".join(a.summary or repr(a) for a in build)
        ctx.would(sim, f"proposal #{sim.result} opens: {what}", id=sim.result)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UpgradeableTargetWarning)  # already said above
        made = charter.propose(ctx.signer(), build, description)
    ctx.emit(
        made,
        f"proposal #{made.id} ({made.stakes.name}) open until {made.vote_end:%Y-%m-%d %H:%M} UTC",
    )


@click.group()
@dry_run_option
def propose() -> None:
    """Propose a decision. --dry-run (here or after the subcommand) proposes nothing.

    Example: panarchy propose enact --text quiet-hours.md --term 2 --title "Quiet hours" --dry-run
    """


@propose.command("enact")
@click.option(
    "--text",
    "text_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The clause (Markdown; first line is its title).",
)
@term_option
@title_option
@body_option
@dry_run_option
@pass_context
def propose_enact(ctx: Context, text_file: Path, term: int, title: str, body: str) -> None:
    """Propose to enact a clause.

    Example: panarchy charter propose enact --text quiet-hours.md --term 2 --title "Quiet hours"
    """
    cid = _document_from("clause", text_file, None, None)
    _propose(ctx, [ctx.charter().actions.enact_clause(cid, term)], title, body)


@propose.command("amend")
@click.argument("clause_id", type=int)
@click.option(
    "--text",
    "text_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
)
@term_option
@title_option
@body_option
@dry_run_option
@pass_context
def propose_amend(
    ctx: Context, clause_id: int, text_file: Path, term: int, title: str, body: str
) -> None:
    """Propose new text and a new term for CLAUSE_ID.

    Example: panarchy charter propose amend 1 --text quiet-hours-v2.md --term 2 --title "Quieter"
    """
    cid = _document_from("clause", text_file, None, None)
    _propose(ctx, [ctx.charter().actions.amend_clause(clause_id, cid, term)], title, body)


@propose.command("renew")
@click.argument("clause_id", type=int)
@term_option
@title_option
@body_option
@dry_run_option
@pass_context
def propose_renew(ctx: Context, clause_id: int, term: int, title: str, body: str) -> None:
    """Propose to renew CLAUSE_ID unchanged.

    Example: panarchy charter propose renew 1 --term 2 --title "Keep quiet hours"
    """
    _propose(ctx, [ctx.charter().actions.renew_clause(clause_id, term)], title, body)


@propose.command("repeal")
@click.argument("clause_id", type=int)
@title_option
@body_option
@dry_run_option
@pass_context
def propose_repeal(ctx: Context, clause_id: int, title: str, body: str) -> None:
    """Propose to repeal CLAUSE_ID.

    Example: panarchy charter propose repeal 1 --title "No more quiet hours"
    """
    _propose(ctx, [ctx.charter().actions.repeal_clause(clause_id)], title, body)


@propose.command("call")
@click.argument("target")
@click.option("--calldata", default="0x", help="The call's data, hex (empty: a plain transfer).")
@click.option("--value", "value_wei", type=int, default=0, help="Wei to send with the call.")
@title_option
@body_option
@dry_run_option
@pass_context
def propose_call(
    ctx: Context, target: str, calldata: str, value_wei: int, title: str, body: str
) -> None:
    """Propose that the charter call any contract (at least MAJORITY). Warns first when the
    target is an upgradeable proxy or its code delegates.

    Example: panarchy charter propose call 0xTarget... --calldata 0x... --title "Pay the printer"
    """
    try:
        data = bytes.fromhex(calldata.removeprefix("0x"))
    except ValueError:
        raise click.BadParameter("hex bytes, e.g. 0x55241077...", param_hint="--calldata") from None
    _propose(ctx, [Action(target=target, calldata=data, value=value_wei)], title, body)


@propose.command("admit")
@click.argument("address")
@title_option
@body_option
@dry_run_option
@pass_context
def propose_admit(ctx: Context, address: str, title: str, body: str) -> None:
    """Propose to admit ADDRESS (admission by vote).

    Example: panarchy charter propose admit 0x7099... --title "Welcome Bo"
    """
    _propose(ctx, [ctx.charter().actions.admit(address)], title, body)


@click.command()
@click.argument("proposal_id", type=int)
@click.argument("support", type=click.Choice(list(_SUPPORT)))
@click.option("--sign-only", is_flag=True, help="Sign a ballot for someone to relay; send nothing.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --sign-only: write the ballot here (default: print it).",
)
@dry_run_option
@pass_context
def vote(ctx: Context, proposal_id: int, support: str, sign_only: bool, out: Path | None) -> None:
    """Vote on PROPOSAL_ID: for, against or abstain.

    With --sign-only the vote is a signed ballot (JSON) that anyone, or a relay, can put on
    chain: the voter needs no ETH.

    Example: panarchy --account me.json vote 3 for --dry-run
    """
    if ctx.dry_run:
        if sign_only:
            raise click.UsageError("--dry-run sends nothing already; --sign-only signs: pick one")
        who = ctx.sender()
        sim = ctx.charter().simulate.vote(who, proposal_id, _SUPPORT[support])
        ctx.would(sim, f"{who} votes {support} on #{proposal_id} with weight {sim.result}",
                  proposal=proposal_id, voter=who, support=support)  # fmt: skip
        return
    signer = ctx.signer()
    charter = ctx.charter()
    if not sign_only:
        charter.vote(signer, proposal_id, _SUPPORT[support])
        ctx.emit({"proposal": proposal_id, "voter": signer.address, "support": support},
                 f"{signer.address} voted {support} on #{proposal_id}")  # fmt: skip
        return
    ballot = charter.sign_ballot(signer, proposal_id, _SUPPORT[support])
    if out is None:
        click.echo(ballot.to_json())
        return
    if out.exists():
        raise click.UsageError(f"{out} exists; choose another file (nothing was written)")
    out.write_text(ballot.to_json() + "\n")
    ctx.emit({"ballot": str(out), "voter": signer.address},
             f"signed ballot written to {out}; anyone may relay it")  # fmt: skip


@click.command()
@click.argument("address")
@dry_run_option
@pass_context
def delegate(ctx: Context, address: str) -> None:
    """Hand your voice to the member ADDRESS (revocable; your own vote always wins).

    Example: panarchy --account alice.json delegate 0x7099...
    """
    if ctx.dry_run:
        who = ctx.sender()
        ctx.would(ctx.charter().simulate.delegate(who, address),
                  f"{address} carries the voice of {who}", delegator=who,
                  delegate=address)  # fmt: skip
        return
    signer = ctx.signer()
    ctx.charter().delegate(signer, address)
    ctx.emit({"delegator": signer.address, "delegate": address},
             f"{address} now carries the voice of {signer.address}")  # fmt: skip


@click.command()
@dry_run_option
@pass_context
def undelegate(ctx: Context) -> None:
    """Take your voice back from your delegate.

    Example: panarchy --account alice.json undelegate
    """
    if ctx.dry_run:
        who = ctx.sender()
        ctx.would(ctx.charter().simulate.undelegate(who), f"{who} carries their own voice again",
                  delegator=who, delegate=None)  # fmt: skip
        return
    signer = ctx.signer()
    ctx.charter().undelegate(signer)
    ctx.emit({"delegator": signer.address, "delegate": None},
             f"{signer.address} carries their own voice again")  # fmt: skip


@click.command()
@pass_context
def delegations(ctx: Context) -> None:
    """Who carries whose voice now.

    Example: panarchy delegations
    """
    charter = ctx.charter()
    current = charter.delegations()
    carriers: dict[str, list[str]] = {}
    for delegator, to in current.items():
        carriers.setdefault(to, []).append(delegator)
    table = Table(title="Delegations")
    for col in ("delegate", "carries", "voices of"):
        table.add_column(col)
    for to, froms in sorted(carriers.items()):
        table.add_row(to, str(charter.carried_voices(to)), "\n".join(froms))
    ctx.emit(current, table if current else "nobody has delegated their voice")  # type: ignore[arg-type]


@click.command()
@click.argument("proposal_id", type=int)
@dry_run_option
@pass_context
def execute(ctx: Context, proposal_id: int) -> None:
    """Execute a succeeded proposal (anyone may).

    Example: panarchy --dev-account 0 execute 3 --dry-run
    """
    charter = ctx.charter()
    if ctx.dry_run:
        ctx.would(charter.simulate.execute(ctx.sender(), proposal_id),
                  f"#{proposal_id} executes", executed=proposal_id)  # fmt: skip
        return
    charter.execute(ctx.signer(), proposal_id)
    ctx.emit({"executed": proposal_id}, f"#{proposal_id} executed")


@click.command()
@click.argument("proposal_id", type=int)
@dry_run_option
@pass_context
def cancel(ctx: Context, proposal_id: int) -> None:
    """Cancel one's own proposal before any vote.

    Example: panarchy --account alice.json cancel 3
    """
    charter = ctx.charter()
    if ctx.dry_run:
        ctx.would(charter.simulate.cancel(ctx.sender(), proposal_id),
                  f"#{proposal_id} is canceled", canceled=proposal_id)  # fmt: skip
        return
    charter.cancel(ctx.signer(), proposal_id)
    ctx.emit({"canceled": proposal_id}, f"#{proposal_id} canceled")


@click.command()
@pass_context
def proposals(ctx: Context) -> None:
    """List the proposals.

    Example: panarchy --json proposals
    """
    found_proposals = ctx.charter().proposals()
    described = _describe_all([p.description_cid for p in found_proposals])
    if ctx.as_json:
        ctx.emit(_titled(found_proposals, described))
        return
    # Narrow enough for 80 columns: the title and actions wrap, the rest does not.
    table = Table(title="Proposals", caption="votes: for/against/abstain")
    for col in ("#", "title", "state", "stakes", "votes", "voting ends", "actions"):
        table.add_column(col, no_wrap=col in ("#", "state", "stakes", "votes"))
    for p, d in zip(found_proposals, described, strict=True):
        table.add_row(str(p.id), escape(d.heading), p.state.name, p.stakes.name,
                      f"{p.for_votes}/{p.against_votes}/{p.abstain_votes}",
                      f"{p.vote_end:%Y-%m-%d %H:%M}",
                      escape("; ".join(a.summary for a in p.actions)))  # fmt: skip
    ctx.emit(found_proposals, table)  # type: ignore[arg-type]


@click.command()
@click.argument("proposal_id", type=int)
@pass_context
def proposal(ctx: Context, proposal_id: int) -> None:
    """Show one proposal, with its description.

    Example: panarchy proposal 3
    """
    p = ctx.charter().proposal(proposal_id)
    (d,) = _describe_all([p.description_cid])
    if ctx.as_json:
        ctx.emit(dict(to_jsonable(p), description=d.to_json()))
        return
    actions = "\n".join(f"  - {escape(a.summary)}" for a in p.actions)
    source = f"description {d.cid}" if d.cid else "no description document"
    if d.cid and d.error:
        source += f" ({d.error})"
    body = f"\n\n{escape(d.body.rstrip())}" if d.body and d.body.strip() else ""
    text = (
        f"[bold]#{p.id} {escape(d.heading)}[/] — {p.state.name}, needs {p.stakes.name}\n"
        f"{source}\n"
        f"for {p.for_votes}, against {p.against_votes}, abstain {p.abstain_votes}"
        f" (bar {p.bar})\nvoting ends {p.vote_end:%Y-%m-%d %H:%M} UTC, executable until "
        f"{p.execution_deadline:%Y-%m-%d %H:%M} UTC\nactions:\n{actions}{body}"
    )
    ctx.emit(p, text)


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include lapsed and repealed clauses.")
@pass_context
def clauses(ctx: Context, show_all: bool) -> None:
    """List the clauses in force, with the time they have left.

    Example: panarchy clauses --all
    """
    charter = ctx.charter()
    found_clauses = charter.clauses() if show_all else charter.clauses_in_force()
    described = _describe_all([c.cid for c in found_clauses])
    if ctx.as_json:
        ctx.emit(_titled(found_clauses, described))
        return
    table = Table(title="Clauses" if show_all else "Clauses in force")
    for col in ("#", "title", "cid", "version", "renewals", "status", "expires", "time left"):
        # A narrow terminal folds the CID (whole, for copying) and wraps the title.
        table.add_column(col, overflow="fold" if col == "cid" else "ellipsis",
                         no_wrap=col in ("#", "status"))  # fmt: skip
    for c, d in zip(found_clauses, described, strict=True):
        status = "in force" if c.in_force else ("repealed" if c.repealed else "lapsed")
        table.add_row(str(c.id), escape(d.heading), c.cid, str(c.version), str(c.renewals),
                      status, f"{c.expires_at:%Y-%m-%d %H:%M}",
                      str(c.time_left).split(".")[0])  # fmt: skip
    ctx.emit(found_clauses, table)  # type: ignore[arg-type]


@click.command()
@click.option("--cycle", type=int, help="The cycle (default: the current one).")
@pass_context
def report(ctx: Context, cycle: int | None) -> None:
    """The revision report: revisions per cycle against the quota.

    Example: panarchy report --cycle 2
    """
    r = ctx.charter().revision_report(cycle)
    verdict = "met" if r.met else ("not met yet" if r.current else "not met")
    ctx.emit(r, f"cycle {r.cycle} ({r.starts_at:%Y-%m-%d} → {r.ends_at:%Y-%m-%d}): "
                f"{r.revisions} revision(s), quota {r.quota}: {verdict}")  # fmt: skip


__all__ = [
    "register",
    "deploy",
    "found",
    "show",
    "members",
    "join",
    "leave",
    "sponsor",
    "propose",
    "propose_enact",
    "propose_amend",
    "propose_renew",
    "propose_repeal",
    "propose_call",
    "propose_admit",
    "vote",
    "delegate",
    "undelegate",
    "delegations",
    "execute",
    "cancel",
    "proposals",
    "proposal",
    "clauses",
    "report",
]
