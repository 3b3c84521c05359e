"""``panarchy doc``: what a person types, against the embedded store and the real node."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsipfs_node import JsIpfsNode, free_port
from panarchy.cli.doc import doc
from panarchy.documents import CHUNK_SIZE, Document, compute_cid

TEXT = b"Clause 1: the garden belongs to whoever tends it.\n"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a helper
    """Run ``panarchy doc ...`` with the data directory in tmp_path."""
    monkeypatch.setenv("PANARCHY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PANARCHY_IPFS_API", raising=False)
    runner = CliRunner(mix_stderr=False)

    def invoke(*args: str, input: bytes | None = None) -> Result:
        return runner.invoke(doc, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "clause.md"
    path.write_bytes(TEXT)
    return path


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_add_get_verify__embedded(run, text_file: Path, tmp_path: Path) -> None:  # noqa: ANN001
    added = run("add", str(text_file))
    assert added.exit_code == 0, added.stderr
    cid = added.stdout.strip()
    assert cid == compute_cid(TEXT)
    assert (tmp_path / "data" / "documents" / "objects").is_dir()

    got = run("get", cid)
    assert got.exit_code == 0 and got.stdout_bytes == TEXT

    out = tmp_path / "copy.md"
    saved = run("get", cid, "-o", str(out))
    assert saved.exit_code == 0 and out.read_bytes() == TEXT
    assert "verified" in saved.stdout

    ok = run("verify", cid, str(text_file))
    assert ok.exit_code == 0 and ok.stdout.startswith("OK")


def test_add__json_and_cid_version(run, text_file: Path) -> None:  # noqa: ANN001
    result = run("add", str(text_file), "--cid-version", "1", "--json")
    payload = json.loads(result.stdout)
    assert payload["cid"] == compute_cid(TEXT, cid_version=1)
    assert payload["pinned"] is True and "embedded store" in payload["store"]


def test_add__from_stdin(run) -> None:  # noqa: ANN001
    result = run("add", "-", input=TEXT)
    assert result.stdout.strip() == compute_cid(TEXT)


def test_verify__mismatch_is_one_line_and_exit_1(run, text_file: Path) -> None:  # noqa: ANN001
    other = compute_cid(b"another text\n")
    line = _one_line_error(run("verify", other, str(text_file)))
    assert "does not match its CID" in line and other in line and "CIDMismatch" in line


def test_verify__json(run, text_file: Path) -> None:  # noqa: ANN001
    payload = json.loads(run("verify", compute_cid(TEXT), str(text_file), "--json").stdout)
    assert payload == {
        "cid": compute_cid(TEXT),
        "file": str(text_file),
        "size": len(TEXT),
        "match": True,
    }


def test_get__tampered_store_refused_and_nothing_written(  # noqa: ANN001
    run, text_file: Path, tmp_path: Path
) -> None:
    cid = run("add", str(text_file)).stdout.strip()
    objects = list((tmp_path / "data" / "documents" / "objects").glob("*/*"))
    objects[0].write_bytes(TEXT.replace(b"garden", b"gardeN"))
    line = _one_line_error(run("get", cid))
    assert "CIDMismatch" in line
    out = tmp_path / "copy.md"
    _one_line_error(run("get", cid, "-o", str(out)))
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("get", "not-a-cid"), "not a CID"),
        (("get", compute_cid(b"never stored")), "is not in the embedded store"),
        (("pin", compute_cid(b"never stored")), "cannot pin"),
        (("unpin", compute_cid(b"never stored")), "is not pinned"),
        (("verify", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "/nonexistent"), "No such"),
    ],
)
def test_errors__one_clear_line(run, args: tuple[str, ...], expected: str) -> None:  # noqa: ANN001
    result = run(*args)
    assert result.exit_code != 0
    if result.exit_code == 1:
        assert expected in _one_line_error(result)
    else:  # click's own usage error (a missing file)
        assert expected in result.stderr and "Traceback" not in result.stderr


def test_pin_unpin_ls_gc(run, text_file: Path) -> None:  # noqa: ANN001
    cid = run("add", str(text_file)).stdout.strip()
    loose = run("add", "-", "--no-pin", input=b"loose\n").stdout.strip()
    listing = run("ls").stdout.splitlines()
    assert f"{cid}  pinned    {len(TEXT)}" in listing
    assert f"{loose}  unpinned  6" in listing
    assert run("unpin", cid).stdout.strip() == f"unpinned {cid}"
    assert run("pin", cid).stdout.strip() == f"pinned {cid}"
    gc = run("gc", "--json")
    assert json.loads(gc.stdout) == {"removed": [loose]}
    entries = json.loads(run("ls", "--json").stdout)
    assert entries == [{"cid": cid, "pinned": True, "size": len(TEXT)}]


def test_new_and_show(run, tmp_path: Path) -> None:  # noqa: ANN001
    body = tmp_path / "body.md"
    body.write_text("We tend the garden **together**.\n")
    made = run(
        "new",
        "concord",
        "--title",
        "Riverside Concord",
        "--body",
        str(body),
        "--link",
        "Founding memo=QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "--link",
        "Site=https://riverside.example",
    )
    assert made.exit_code == 0, made.stderr
    cid = made.stdout.strip()
    shown = run("show", cid)
    assert shown.stdout.splitlines()[0] == "Riverside Concord"
    assert "concord · panarchy.document.v1" in shown.stdout
    assert "We tend the garden **together**." in shown.stdout
    assert "Site: https://riverside.example" in shown.stdout
    as_json = json.loads(run("show", cid, "--json").stdout)
    assert as_json["document"]["kind"] == "concord"


def test_add__document_flag_validates(run, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "manifesto"}')
    assert "InvalidDocument" in _one_line_error(run("add", "--document", str(bad)))


def test_add_show__a_markdown_file_round_trips_as_plain_text(run, tmp_path: Path) -> None:  # noqa: ANN001
    notes = tmp_path / "notes.md"
    notes.write_text("# Garden rota\n\nAda waters on Mondays.\n")
    added = run("add", str(notes))
    cid = added.stdout.strip()
    assert cid == compute_cid(notes.read_bytes())  # byte for byte, as `ipfs add`
    assert added.stderr == (
        f"stored as a plain file; `panarchy doc add --as memo {notes}` stores it as a "
        "structured document\n"
    )
    shown = run("show", cid)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == (
        "Garden rota\n===========\n"
        "plain text, not a structured document (`doc add --as memo FILE` makes one)\n\n"
        "Ada waters on Mondays.\n"
    )
    assert json.loads(run("show", cid, "--json").stdout) == {
        "cid": cid,
        "document": None,
        "title": "Garden rota",
        "text": notes.read_text(),
    }


def test_add_as__wraps_a_markdown_file_as_a_structured_document(run, tmp_path: Path) -> None:  # noqa: ANN001
    notes = tmp_path / "notes.md"
    notes.write_text("# Garden rota\r\n\r\nAda waters on **Mondays**.\r\n")
    added = run("add", "--as", "memo", str(notes))
    assert added.exit_code == 0 and added.stderr == "", added.stderr
    cid = added.stdout.strip()
    expected = Document(kind="memo", title="Garden rota", body="Ada waters on **Mondays**.\n")
    assert cid == expected.cid()
    shown = json.loads(run("show", cid, "--json").stdout)
    assert shown == {"cid": cid, "document": expected.to_json()}
    assert run("show", cid).stdout.startswith("Garden rota\n===========\nmemo · panarchy")


def test_add_as__without_a_heading_the_file_name_is_the_title(run, tmp_path: Path) -> None:  # noqa: ANN001
    minutes = tmp_path / "minutes-june.txt"
    minutes.write_text("We met. We agreed.\n")
    cid = run("add", "--as", "clause", str(minutes)).stdout.strip()
    document = json.loads(run("show", cid, "--json").stdout)["document"]
    assert (document["kind"], document["title"]) == ("clause", "minutes-june")
    assert document["body"] == "We met. We agreed.\n"


def test_add_as__refusals(run, tmp_path: Path) -> None:  # noqa: ANN001
    stdin = run("add", "--as", "memo", "-", input=b"no heading here\n")
    assert "the text has no title: start it with a '# Title' line" in _one_line_error(stdin)
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    refused = run("add", "--as", "memo", str(binary))
    assert refused.exit_code == 2 and "is not UTF-8 text: --as wraps Markdown" in refused.stderr
    both = run("add", "--as", "memo", "--document", str(binary))
    assert both.exit_code == 2 and "--document reads a structured document" in both.stderr


def test_show__not_a_document(run, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "manifesto"}')
    cid = run("add", str(bad)).stdout.strip()
    assert "missing fields: body, links, schema, title" in _one_line_error(run("show", cid))
    photo = run("add", "-", input=b"\xff\xd8\xff\xe0 a jpeg").stdout.strip()
    assert _one_line_error(run("show", photo)) == (
        f"Error: {photo} is 11 bytes of binary data, not a document: "
        f"fetch it with `panarchy doc get {photo} -o FILE`"
    )


def test_cid__prints_without_storing(run, text_file: Path, tmp_path: Path) -> None:  # noqa: ANN001
    assert run("cid", str(text_file)).stdout.strip() == compute_cid(TEXT)
    assert run("ls", "--json").stdout.strip() == "[]"


# --- against the real node ------------------------------------------------------------------


def test_kubo_api__option_and_env(run, jsipfs: JsIpfsNode, text_file: Path, monkeypatch) -> None:  # noqa: ANN001
    added = run("add", str(text_file), "--kubo-api", jsipfs.api_multiaddr, "--json")
    payload = json.loads(added.stdout)
    assert payload["cid"] == compute_cid(TEXT) and "IPFS node" in payload["store"]
    monkeypatch.setenv("PANARCHY_IPFS_API", f"http://127.0.0.1:{jsipfs.api_port}")
    assert run("get", payload["cid"]).stdout_bytes == TEXT
    assert payload["cid"] in run("ls").stdout


def test_kubo_api__down_node_is_one_clear_line(run) -> None:  # noqa: ANN001
    api = f"/ip4/127.0.0.1/tcp/{free_port()}/http"
    line = _one_line_error(run("ls", "--kubo-api", api, "--timeout", "2"))
    assert "cannot reach the IPFS node" in line and "Connection refused" in line


# --- a person at a terminal: the progress bar ------------------------------------------------


def _in_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdin/stdout/stderr; return status and screen."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    return child.wait(60), screen.decode(errors="replace")


def test_add__progress_bar_for_large_files_in_a_terminal(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(hashlib.shake_128(b"big").digest(160 * CHUNK_SIZE))  # 40 MiB
    env = dict(os.environ, PANARCHY_DATA_DIR=str(tmp_path / "data"), COLUMNS="100", TERM="xterm")
    env.pop("PANARCHY_IPFS_API", None)
    status, screen = _in_terminal(
        [sys.executable, "-m", "panarchy.cli", "doc", "add", str(big)], env
    )
    assert status == 0, screen
    assert "adding" in screen and "big.bin" in screen
    assert "MB" in screen  # the transfer column
    assert compute_cid(big.read_bytes()) in screen
