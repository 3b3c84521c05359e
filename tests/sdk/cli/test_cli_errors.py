"""Bad input and a failing node: one line saying what to do, exit 1, never a traceback.

The CLI runs in its own process (as a person runs it) against a real anvil node; where the
node must misbehave (stop answering mid-command), an :class:`RpcProxy` in front of it does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from eth_utils import to_checksum_address
from panarchy.accounts import create_keystore
from panarchy.node import Anvil

pytestmark = pytest.mark.anvil

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[3]


class RpcProxy:
    """A JSON-RPC proxy in front of a node, on a free 127.0.0.1 port.

    Args:
        upstream: The node's URL.
        answers: How many requests it forwards; after that it drops every connection
            without an answer, as a node that went down mid-command (None: no limit).
        override: Results to give instead of the node's, by method name (a node that is
            not anvil: ``{"web3_clientVersion": "Geth/v1.14.0", "eth_chainId": "0xaa36a7"}``).
    """

    def __init__(
        self, upstream: str, *, answers: int | None = None, override: dict[str, Any] | None = None
    ) -> None:
        self.upstream = upstream
        self.answers = answers
        self.override = override or {}
        self.methods: list[str] = []  # every method asked, answered or not
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                proxy.methods.append(request["method"])
                if proxy.answers is not None and len(proxy.methods) > proxy.answers:
                    self.close_connection = True  # gone: no status line, no answer
                    return
                if request["method"] in proxy.override:
                    reply = json.dumps(
                        {"jsonrpc": "2.0", "id": request["id"],
                         "result": proxy.override[request["method"]]}
                    ).encode()  # fmt: skip
                else:
                    headers = {"Content-Type": "application/json"}
                    reply = requests.post(
                        proxy.upstream, data=body, headers=headers, timeout=30
                    ).content
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RpcProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def cli(
    args: list[str], env: dict[str, str], cwd: Path, code: int = 0
) -> subprocess.CompletedProcess[str]:
    """Run ``panarchy ARGS`` in its own process; check the exit status."""
    result = subprocess.run(
        [sys.executable, "-m", "panarchy.cli", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
    )  # fmt: skip
    assert result.returncode == code, result.stderr + result.stdout
    return result


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a refused command (exit 1, no traceback)."""
    assert result.returncode == 1, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def usage_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error line of click's usage refusal (exit 2, no traceback)."""
    assert result.returncode == 2, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("Error: ")]
    return line


@pytest.fixture
def env(anvil_node: Anvil, tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ, PANARCHY_RPC=anvil_node.url, PANARCHY_PASSWORD=PASSWORD)
    out["PANARCHY_DATA_DIR"] = str(tmp_path / "data")
    for unset in ("PANARCHY_ACCOUNT", "PANARCHY_CHARTER", "PANARCHY_IPFS_API"):
        out.pop(unset, None)
    return out


@pytest.fixture
def keystore(tmp_path: Path) -> Path:
    path = tmp_path / "alice.json"
    create_keystore(path, PASSWORD)
    return path


def test_cli__wrong_keystore_password_is_one_line(env, keystore, tmp_path):
    wrong = {**env, "PANARCHY_PASSWORD": "not the password"}
    line = one_line(cli(["--account", str(keystore), "deploy"], wrong, tmp_path, code=1))
    assert line == (
        f"Error: wrong password for the keystore {keystore}: type it again, or fix "
        "$PANARCHY_PASSWORD (unset it to be asked) (ConfigurationError)"
    )
    assert not (tmp_path / "deployments").exists()  # nothing was deployed


def test_cli__wrong_password_typed_at_the_prompt_is_one_line(env, keystore, tmp_path):
    asked = {k: v for k, v in env.items() if k != "PANARCHY_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "-m", "panarchy.cli", "--account", str(keystore), "deploy"],
        input="not the password\n", capture_output=True, text=True, env=asked, cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"Error: wrong password for the keystore {keystore}")
    )


def test_cli__account_show_of_a_file_that_is_not_a_keystore(env, tmp_path):
    (tmp_path / "notes.json").write_text("not json at all")
    line = one_line(cli(["account", "show", "notes.json"], env, tmp_path, code=1))
    assert "notes.json is not a readable keystore" in line
    assert "give the JSON keystore file (ConfigurationError)" in line
    (tmp_path / "empty.json").write_text("{}")
    line = one_line(cli(["account", "show", "empty.json"], env, tmp_path, code=1))
    assert "empty.json has no address: it is not a keystore" in line


def test_cli__account_show__checksummed_address_of_a_geth_keystore(env, keystore, tmp_path):
    keyfile = json.loads(keystore.read_text())
    address = to_checksum_address(keyfile["address"])
    keyfile["address"] = address.lower().removeprefix("0x")  # as geth writes it
    (tmp_path / "geth.json").write_text(json.dumps(keyfile))
    shown = json.loads(cli(["--json", "account", "show", "geth.json"], env, tmp_path).stdout)
    assert shown == {"address": address, "keystore": "geth.json"}


def test_cli__relay_serve_refuses_a_malformed_charter_address(env, tmp_path):
    line = usage_error(cli(["--dev-account", "0", "relay", "serve", "0x12"], env, tmp_path, code=2))
    assert "'0x12' is not an address: give 0x and 40 hex digits" in line
    line = one_line(
        cli(["--dev-account", "0", "--charter", "0xabc", "relay", "serve"], env, tmp_path, code=1)
    )
    assert "--charter '0xabc' is not an address: give 0x and 40 hex digits" in line


def test_cli__node_not_running_is_one_line(env, tmp_path):
    with RpcProxy("http://127.0.0.1:9", answers=0) as dead:
        line = one_line(cli(["--rpc", dead.url, "dev", "advance", "1d"], env, tmp_path, code=1))
    assert f"cannot reach the chain at {dead.url}" in line
    assert "Start the node or check the --rpc URL. (ChainUnavailable)" in line


@pytest.mark.parametrize(
    ("answers", "args"),
    [
        (1, ["dev", "advance", "1d"]),  # after the chain id: the clock read fails
        (1, ["dev", "fund", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1eth"]),
        (4, ["--dev-account", "0", "deploy"]),  # in the middle of the first step
    ],
)
def test_cli__node_going_down_mid_command_is_one_line(anvil_node, env, tmp_path, answers, args):
    with RpcProxy(anvil_node.url, answers=answers) as proxy:
        line = one_line(cli(["--rpc", proxy.url, *args], env, tmp_path, code=1))
    assert len(proxy.methods) > answers  # it did go down mid-command
    assert line == (
        f"Error: the node at {proxy.url} stopped answering: start it again or check --rpc, "
        "then retry (a transaction sent before may have been mined: check before sending "
        "it again) (ChainUnavailable)"
    )


def test_import_panarchy__does_not_load_the_kubo_client():
    code = "import panarchy, sys; print('ipfshttpclient' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "False\n"), result.stderr


def test_import_panarchy_cli__loads_the_kubo_client_only_when_a_kubo_store_is_used():
    code = (
        "import sys, panarchy.cli; before = 'ipfshttpclient' in sys.modules; "
        "from panarchy.documents import KuboStore; "
        "print(before, 'ipfshttpclient' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "False True\n"), result.stderr
