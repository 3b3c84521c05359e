"""Browser tests: anvil, a community deployed through the SDK, the served app, chromium.

Every server listens on 127.0.0.1 and is stopped in teardown (anvil and the browser driver
by their PIDs). Each test runs between an anvil snapshot and its revert, so tests do not
see each other's votes, departures or time travel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from panarchy import Chain
from panarchy.app import AppServer, Community, app_config, seed_community
from panarchy.documents import open_store
from panarchy.node import Anvil

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = os.environ.get("PANARCHY_CHROMIUM", "/usr/bin/chromium")


class BrowserError(AssertionError):
    """A driver command failed (a selector never appeared, a click timed out, ...)."""


class Browser:
    """The Node driver (driver.mjs): one chromium, a fresh page per `open`."""

    def __init__(self) -> None:
        if not Path(CHROMIUM).is_file():
            raise RuntimeError(
                f"{CHROMIUM} is missing: `apt-get install -y chromium` (./dev test does it)"
            )
        self.process = subprocess.Popen(
            ["node", str(HERE / "driver.mjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._id = 0

    def __call__(self, cmd: str, **args: Any) -> Any:
        assert self.process.stdin and self.process.stdout
        self._id += 1
        self.process.stdin.write(json.dumps({"id": self._id, "cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the browser driver exited (code {self.process.poll()})")
        answer = json.loads(line)
        if not answer["ok"]:
            console = "" if cmd == "console" else f"\npage console: {self('console')}"
            raise BrowserError(f"{cmd} {args}: {answer['error']}{console}")
        return answer["value"]

    def open(self, url: str, wallet: dict[str, Any] | None = None, **kw: Any) -> None:
        self("open", url=url, wallet=wallet, **kw)

    def wait(self, selector: str, text: str | None = None, timeout: int = 10000) -> None:
        self("wait", selector=selector, text=text, timeout=timeout)

    def text(self, selector: str) -> str:
        return self("text", selector=selector)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self("screenshot", path=str(SCREENSHOTS / f"{name}.png"))

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin
            self.process.stdin.close()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Anvil]:
    with Anvil() as node:
        yield node


@pytest.fixture(scope="session")
def chain(anvil_node: Anvil) -> Chain:
    return Chain.connect(anvil_node.url)


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory):
    store = open_store(data_dir=tmp_path_factory.mktemp("documents"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def community(chain: Chain, store, tmp_path_factory: pytest.TempPathFactory) -> Community:
    return seed_community(chain, store, tmp_path_factory.mktemp("deployments"))


@pytest.fixture(scope="session")
def app_url(anvil_node: Anvil, community: Community, store) -> Iterator[str]:
    config = app_config(
        rpc_url=anvil_node.url,
        chain_id=anvil_node.chain_id,
        charter=community.charter.address,
        factory=community.factory,
    )
    with AppServer(config, store=store) as server:
        server.config["ipfsGateway"] = server.url.rstrip("/")
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    driver = Browser()
    yield driver
    driver.stop()


@pytest.fixture(autouse=True)
def fresh_chain(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each browser test from the community's state, and put it back afterwards."""
    if request.node.get_closest_marker("anvil") is None:
        yield
        return
    chain: Chain = request.getfixturevalue("chain")
    request.getfixturevalue("community")
    snapshot = chain.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield
    chain.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def wallet(
    anvil_node: Anvil, address: str, chain_id: int | None = None, *, legacy: bool = False
) -> dict[str, Any]:
    """The injected test wallet: `address` (an unlocked anvil account), on `chain_id`,
    announced through EIP-6963 (or, `legacy`, only as `window.ethereum`)."""
    return {
        "legacy": legacy,
        "rpcUrl": anvil_node.url,
        "account": address,
        "chainId": chain_id or anvil_node.chain_id,
    }
