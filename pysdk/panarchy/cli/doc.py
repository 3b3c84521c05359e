"""``panarchy doc``: put documents on IPFS, get them back verified, pin and list them.

The store is the embedded one under the data directory unless a Kubo RPC API address is
given (``--kubo-api`` or ``PANARCHY_IPFS_API``). Everything read is verified against its
CID; a mismatch is an error. ``--json`` prints machine-readable output; errors are one
line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from panarchy.documents import (
    DOCUMENT_KINDS,
    CidVerifier,
    Document,
    DocumentStore,
    EmbeddedStore,
    Link,
    compute_cid_stream,
    open_store,
    split_title,
    store_document,
)
from panarchy.documents.store import DEFAULT_TIMEOUT, ENV_DATA_DIR, ENV_IPFS_API
from panarchy.errors import PanarchyError

__all__ = ["doc"]

#: Files at least this large get a progress bar (when stderr is a terminal).
PROGRESS_THRESHOLD = 1024 * 1024
_READ_SIZE = 262_144
#: Files `doc add` hints may be meant as documents (--as wraps them).
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")

F = TypeVar("F", bound=Callable[..., Any])


# --- shared plumbing --------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{text} ({type(exc).__name__})" if isinstance(exc, PanarchyError) else text


def _errors(func: F) -> F:
    """Turn expected failures into one clear line and exit status 1 (no traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except PanarchyError as exc:
            raise click.ClickException(_one_line(exc)) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from exc

    return wrapper  # type: ignore[return-value]


def _wants_json(local: bool) -> bool:
    """``--json`` on the subcommand, or on the top-level ``panarchy`` command."""
    if local:
        return True
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root().obj if ctx is not None else None
    return bool(getattr(root, "as_json", False))


def _emit(as_json: bool, payload: Any, text: str) -> None:
    if as_json:
        click.echo(json.dumps(payload, sort_keys=True))
    else:
        click.echo(text)


def _store_options(func: F) -> F:
    """The options every store-using subcommand takes."""
    func = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        envvar="PANARCHY_IPFS_TIMEOUT",
        help="Seconds allowed for each call to a Kubo node [env PANARCHY_IPFS_TIMEOUT].",
    )(func)
    func = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=ENV_DATA_DIR,
        help=f"Panarchy data directory; the embedded store is its documents/ folder "
        f"[env {ENV_DATA_DIR}; default ~/.panarchy].",
    )(func)
    func = click.option(
        "--kubo-api",
        envvar=ENV_IPFS_API,
        help="Kubo RPC API address, e.g. /ip4/127.0.0.1/tcp/5001/http or "
        f"http://127.0.0.1:5001 [env {ENV_IPFS_API}]. Without it: the embedded store.",
    )(func)
    return func


@contextmanager
def _opened(kubo_api: str | None, data_dir: Path | None, timeout: float) -> Iterator[DocumentStore]:
    store = open_store(kubo_api=kubo_api or None, data_dir=data_dir, timeout=timeout)
    try:
        yield store
    finally:
        store.close()


def _json_flag(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(func)


@contextmanager
def _progress(label: str, total: int | None, as_json: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for large transfers in a terminal; silent otherwise."""
    console = Console(stderr=True)
    enabled = console.is_terminal and not as_json and (total is None or total >= PROGRESS_THRESHOLD)
    if not enabled:
        yield lambda n: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _name(stream: BinaryIO) -> str:
    name = getattr(stream, "name", None)
    return "stdin" if not isinstance(name, str) or name == "<stdin>" else name


def _size_of(stream: BinaryIO) -> int | None:
    """The size of a regular file, or ``None`` for a pipe or a terminal."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


# --- the group --------------------------------------------------------------------------


@click.group(name="doc")
def doc() -> None:
    """Documents on IPFS: add, get, verify, pin, list.

    Uses the embedded store (no server) unless --kubo-api / PANARCHY_IPFS_API names a
    Kubo node. Every document read is verified against its CID.

    Example: panarchy doc new clause --title "Quiet hours" --body "After 22:00."
    """


@doc.command("add")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--cid-version",
    type=click.Choice(["0", "1"]),
    default="0",
    show_default=True,
    help="0: Qm... (Kubo's default); 1: base32 with raw leaves.",
)
@click.option("--no-pin", is_flag=True, help="Do not pin (garbage collection may remove it).")
@click.option(
    "--document",
    "structured",
    is_flag=True,
    help="The file must be a structured Panarchy document (JSON); validate it first.",
)
@click.option(
    "--as",
    "wrap_kind",
    type=click.Choice(DOCUMENT_KINDS),
    help="Wrap a Markdown/text file as a structured document of this kind: the title is "
    "its first '# heading' (else the file name), the body the rest.",
)
@_store_options
@_json_flag
@_errors
def add(
    file: BinaryIO,
    cid_version: str,
    no_pin: bool,
    structured: bool,
    wrap_kind: str | None,
    kubo_api: str | None,
    data_dir: Path | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Store FILE ("-" for stdin) and print its CID.

    As it is, FILE is stored byte for byte (the CID `ipfs add` gives); `doc show` renders a
    structured document, and a plain text file as text. With --as KIND a Markdown file
    becomes a structured document, what charters, clauses and proposals link to.

    \b
    Examples:
      panarchy doc add photo.jpg
      panarchy doc add --as memo minutes.md
    """
    as_json = _wants_json(as_json)
    version = int(cid_version)
    if structured and wrap_kind:
        raise click.UsageError("--document reads a structured document; --as makes one: not both")
    with _opened(kubo_api, data_dir, timeout) as store:
        if structured:
            cid = store_document(
                store, Document.from_bytes(file.read()), cid_version=version, pin=not no_pin
            )
        elif wrap_kind:
            document = _wrapped(file, wrap_kind)
            cid = store_document(store, document, cid_version=version, pin=not no_pin)
        else:
            total = _size_of(file)
            with _progress(f"adding {_name(file)}", total, as_json) as advance:
                cid = store.put_stream(file, cid_version=version, pin=not no_pin, progress=advance)
            if not as_json and Path(_name(file)).suffix.lower() in _MARKDOWN_SUFFIXES:
                click.echo(
                    f"stored as a plain file; `panarchy doc add --as memo {_name(file)}` "
                    "stores it as a structured document",
                    err=True,
                )
        _emit(
            as_json,
            {"cid": cid, "pinned": not no_pin, "store": store.description},
            cid,
        )


@doc.command("get")
@click.argument("cid")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (it appears only once verified) instead of stdout.",
)
@_store_options
@_json_flag
@_errors
def get(
    cid: str,
    output: Path | None,
    kubo_api: str | None,
    data_dir: Path | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Fetch CID, verify it, and write it to stdout or --output.

    Example: panarchy doc get bafkrei... -o clause.json
    """
    as_json = _wants_json(as_json)
    with _opened(kubo_api, data_dir, timeout) as store:
        if output is None:
            data = store.get(cid)
            if as_json:
                _emit(True, {"cid": cid, "size": len(data), "text": _as_text(data)}, "")
            else:
                out = click.get_binary_stream("stdout")
                out.write(data)
                out.flush()
            return
        total = None
        if isinstance(store, EmbeddedStore) and store.has(cid):
            total = store.object_path(cid).stat().st_size
        with _progress(f"getting {cid[:16]}…", total, as_json) as advance:
            size = store.get_to_file(cid, output, progress=advance)
        _emit(
            as_json,
            {"cid": cid, "path": str(output), "size": size, "verified": True},
            f"{output}: {size} bytes, verified against {cid}",
        )


def _wrapped(file: BinaryIO, kind: str) -> Document:
    """A Markdown/text file as a structured document (its title from its first heading)."""
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter(
            f"{_name(file)} is not UTF-8 text: --as wraps Markdown or text files only",
            param_hint="FILE",
        ) from None
    name = _name(file)
    return Document.from_text(text, kind=kind, name=None if name == "stdin" else Path(name).stem)


def _plain_text(data: bytes) -> str | None:
    """The text of a plain (not JSON) UTF-8 file, or None."""
    text = _as_text(data)
    if text is None or text.lstrip().startswith(("{", "[")) or "\x00" in text:
        return None
    return text


def _as_text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@doc.command("show")
@click.argument("cid")
@_store_options
@_json_flag
@_errors
def show(
    cid: str, kubo_api: str | None, data_dir: Path | None, timeout: float, as_json: bool
) -> None:
    """Fetch a structured document (concord, clause, proposal, memo) and render it.

    A plain text file (e.g. Markdown added without --as) is shown as text; anything else
    that is not a document is refused, with how to fetch it.

    Example: panarchy doc show bafkrei...
    """
    as_json = _wants_json(as_json)
    with _opened(kubo_api, data_dir, timeout) as store:
        data = store.get(cid)
    text = _plain_text(data)
    if text is not None:
        _show_plain(cid, text, as_json)
        return
    if _as_text(data) is None:
        raise click.ClickException(
            f"{cid} is {len(data)} bytes of binary data, not a document: "
            f"fetch it with `panarchy doc get {cid} -o FILE`"
        )
    document = Document.from_bytes(data)
    if as_json:
        _emit(True, {"cid": cid, "document": document.to_json()}, "")
        return
    console = Console()
    if not console.is_terminal:
        click.echo(document.render(), nl=False)
        return
    console.rule(f"[bold]{document.title}")
    console.print(f"[dim]{document.kind} · {document.schema} · {cid}[/dim]\n")
    console.print(Markdown(document.body))
    if document.links:
        console.print("\n[bold]Links[/bold]")
        for link in document.links:
            console.print(f"  • {link.title}: {link.cid or link.url}", highlight=False)


def _show_plain(cid: str, text: str, as_json: bool) -> None:
    """Show a plain text file: its first heading as the title, then the text."""
    title, body = split_title(text)
    if as_json:
        _emit(True, {"cid": cid, "document": None, "title": title, "text": text}, "")
        return
    note = "plain text, not a structured document (`doc add --as memo FILE` makes one)"
    console = Console()
    if not console.is_terminal:
        heading = title or cid
        lines = [heading, "=" * min(len(heading), 80), note, ""]
        click.echo("\n".join(lines) + "\n" + body, nl=False)
        return
    console.rule(f"[bold]{title or cid}")
    console.print(f"[dim]{note} · {cid}[/dim]\n", highlight=False)
    console.print(Markdown(body))


@doc.command("new")
@click.argument("kind", type=click.Choice(DOCUMENT_KINDS))
@click.option("--title", required=True, help="One line.")
@click.option(
    "--body",
    "body_file",
    type=click.File("r", encoding="utf-8"),
    help='A Markdown file for the body ("-" for stdin).',
)
@click.option(
    "--link",
    "links",
    multiple=True,
    metavar="TITLE=CID|URL",
    help="A link to another document (by CID) or a page (by URL); repeatable.",
)
@click.option("--cid-version", type=click.Choice(["0", "1"]), default="0", show_default=True)
@_store_options
@_json_flag
@_errors
def new(
    kind: str,
    title: str,
    body_file: Any,
    links: tuple[str, ...],
    cid_version: str,
    kubo_api: str | None,
    data_dir: Path | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Write a structured document of KIND, store it and print its CID.

    Example: panarchy doc new clause --title "Quiet hours" --body "After 22:00."
    """
    as_json = _wants_json(as_json)
    parsed = []
    for item in links:
        name, sep, target = item.rpartition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not TITLE=CID or TITLE=URL", param_hint="--link")
        is_url = "://" in target
        parsed.append(Link(name, url=target) if is_url else Link(name, cid=target))
    body = body_file.read().replace("\r\n", "\n") if body_file is not None else ""
    document = Document(kind=kind, title=title, body=body, links=tuple(parsed))
    with _opened(kubo_api, data_dir, timeout) as store:
        cid = store_document(store, document, cid_version=int(cid_version))
    _emit(as_json, {"cid": cid, "document": document.to_json()}, cid)


@doc.command("verify")
@click.argument("cid")
@click.argument("file", type=click.File("rb"))
@_json_flag
@_errors
def verify(cid: str, file: BinaryIO, as_json: bool) -> None:
    """Check that FILE is exactly the document CID names (offline; no store needed).

    Example: panarchy doc verify bafkrei... clause.json
    """
    as_json = _wants_json(as_json)
    verifier = CidVerifier(cid)
    with _progress(f"hashing {_name(file)}", _size_of(file), as_json) as advance:
        while chunk := file.read(_READ_SIZE):
            verifier.update(chunk)
            advance(len(chunk))
    verifier.finish()  # raises CIDMismatch
    _emit(
        as_json,
        {"cid": cid, "file": _name(file), "size": verifier.size, "match": True},
        f"OK: {_name(file)} is {cid}",
    )


@doc.command("pin")
@click.argument("cid")
@_store_options
@_json_flag
@_errors
def pin(
    cid: str, kubo_api: str | None, data_dir: Path | None, timeout: float, as_json: bool
) -> None:
    """Pin CID so that garbage collection keeps it.

    Example: panarchy doc pin bafkrei...
    """
    with _opened(kubo_api, data_dir, timeout) as store:
        store.pin(cid)
    _emit(_wants_json(as_json), {"cid": cid, "pinned": True}, f"pinned {cid}")


@doc.command("unpin")
@click.argument("cid")
@_store_options
@_json_flag
@_errors
def unpin(
    cid: str, kubo_api: str | None, data_dir: Path | None, timeout: float, as_json: bool
) -> None:
    """Unpin CID; the next garbage collection may remove it.

    Example: panarchy doc unpin bafkrei...
    """
    with _opened(kubo_api, data_dir, timeout) as store:
        store.unpin(cid)
    _emit(_wants_json(as_json), {"cid": cid, "pinned": False}, f"unpinned {cid}")


@doc.command("ls")
@_store_options
@_json_flag
@_errors
def ls(kubo_api: str | None, data_dir: Path | None, timeout: float, as_json: bool) -> None:
    """List documents (all of the embedded store's; a Kubo node's pinned roots).

    Example: panarchy --json doc ls
    """
    with _opened(kubo_api, data_dir, timeout) as store:
        entries = store.ls()
        where = store.description
    if _wants_json(as_json):
        _emit(True, [{"cid": e.cid, "pinned": e.pinned, "size": e.size} for e in entries], "")
        return
    if not entries:
        click.echo(f"no documents in the {where}", err=True)
    for entry in entries:
        size = "-" if entry.size is None else str(entry.size)
        click.echo(f"{entry.cid}  {'pinned' if entry.pinned else 'unpinned':8}  {size}")


@doc.command("gc")
@_store_options
@_json_flag
@_errors
def gc(kubo_api: str | None, data_dir: Path | None, timeout: float, as_json: bool) -> None:
    """Remove unpinned documents (the node's unpinned blocks, for Kubo).

    Example: panarchy doc gc
    """
    with _opened(kubo_api, data_dir, timeout) as store:
        removed = store.gc()
    if _wants_json(as_json):
        _emit(True, {"removed": removed}, "")
        return
    for cid in removed:
        click.echo(cid)
    click.echo(f"removed {len(removed)}", err=True)


@doc.command("cid")
@click.argument("file", type=click.File("rb"))
@click.option("--cid-version", type=click.Choice(["0", "1"]), default="0", show_default=True)
@_json_flag
@_errors
def cid_command(file: BinaryIO, cid_version: str, as_json: bool) -> None:
    """Print the CID FILE would have on IPFS (as `ipfs add --only-hash`), storing nothing.

    Example: panarchy doc cid clause.json
    """
    as_json = _wants_json(as_json)
    counted = [0]
    with _progress(f"hashing {_name(file)}", _size_of(file), as_json) as advance:

        def progress(n: int) -> None:
            counted[0] += n
            advance(n)

        cid = compute_cid_stream(file, cid_version=int(cid_version), progress=progress)
    _emit(as_json, {"cid": cid, "file": _name(file), "size": counted[0]}, cid)


if __name__ == "__main__":  # pragma: no cover - `python -m panarchy.cli.doc ...` (prefer
    # `panarchy doc ...`: the main command registers this group)
    doc(prog_name="panarchy doc", args=sys.argv[1:])
