"""A local anvil node, started from the npm package on 127.0.0.1 and stopped by its PID.

anvil comes from the npm registry (``@foundry-rs/anvil``; the binary ships inside
``@foundry-rs/anvil-linux-amd64``), installed by ``npm ci`` into ``node_modules``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import requests

from panarchy.chain import DEV_ACCOUNT_COUNT
from panarchy.errors import ChainUnavailable, ConfigurationError

_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = (
    _REPO / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil",
    Path.cwd() / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil",
)


def find_anvil() -> str:
    """The anvil binary: ``$PANARCHY_ANVIL``, the npm package, or anvil on PATH."""
    env = os.environ.get("PANARCHY_ANVIL")
    if env:
        return env
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("anvil")
    if found:
        return found
    raise ConfigurationError(
        "anvil not found: run `npm ci` in the repository (it installs @foundry-rs/anvil), "
        "or set PANARCHY_ANVIL to the binary"
    )


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Anvil:
    """An anvil process on 127.0.0.1; use as a context manager or call start/stop.

    Args:
        chain_id: The chain id to report (e.g. 11155111 to stand in for Sepolia).
        port: The port (default: a free one).
        block_time: Seconds between blocks (default: mine on each transaction).
        accounts: How many development accounts (:func:`panarchy.chain.dev_accounts`)
            anvil funds, 10,000 ETH each (default :data:`panarchy.chain.DEV_ACCOUNT_COUNT`).
    """

    def __init__(
        self,
        *,
        chain_id: int = 31337,
        port: int | None = None,
        block_time: int | None = None,
        accounts: int = DEV_ACCOUNT_COUNT,
    ) -> None:
        if accounts < 1:
            raise ConfigurationError("anvil needs at least one development account")
        self.chain_id = chain_id
        self.port = port or free_port()
        self.block_time = block_time
        self.accounts = accounts
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The node's JSON-RPC URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> Anvil:
        """Start anvil and wait until it answers."""
        args = [
            find_anvil(),
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--chain-id", str(self.chain_id),
            "--hardfork", "cancun",
            "--accounts", str(self.accounts),
            "--silent",
        ]  # fmt: skip
        if self.block_time:
            args += ["--block-time", str(self.block_time)]
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise ChainUnavailable(f"anvil exited at start: {err.strip()}")
            try:
                requests.post(
                    self.url,
                    json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                    timeout=1,
                ).raise_for_status()
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise ChainUnavailable(f"anvil did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop anvil by its PID (and its process group)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def __enter__(self) -> Anvil:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = [
    "find_anvil",
    "free_port",
    "Anvil",
]
