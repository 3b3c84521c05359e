"""A real, offline IPFS node for the tests: js-ipfs 0.66 from the npm registry.

Kubo's binary cannot be downloaded where the project is built, but the npm package ``ipfs``
(js-ipfs, installed by ``npm ci`` at the project root) is a full IPFS implementation that
serves the same RPC API. This module starts one on loopback, fully offline:

- ``jsipfs init --profile test --empty-repo`` in a temporary repository (``IPFS_PATH``);
- the configuration is then rewritten: no bootstrap peers, no swarm addresses, MDNS and
  webRTCStar discovery off, ``Routing.Type: none``, pubsub off, no gRPC endpoint, and the
  API and gateway on 127.0.0.1 ports picked here;
- ``jsipfs daemon --offline --enable-preload=false`` (without the last flag every ``add``
  would contact outside preload nodes), with ``NO_UPDATE_NOTIFIER=1`` (otherwise the
  command asks the npm registry for a newer version).

The daemon is stopped by its PID (SIGTERM, then SIGKILL); ``PR_SET_PDEATHSIG`` makes the
kernel stop it too if the test process dies first. It is used by ``conftest.py`` and by
``vectors/make_vectors.py``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
JSIPFS = PROJECT_ROOT / "node_modules" / ".bin" / "jsipfs"
STARTUP_TIMEOUT = 90.0
_PR_SET_PDEATHSIG = 1


@dataclass
class JsIpfsNode:
    """A running js-ipfs daemon.

    Attributes:
        repo: Its repository (``IPFS_PATH``).
        api_port: The RPC API port on 127.0.0.1.
        gateway_port: The read-only gateway port on 127.0.0.1.
        process: The daemon process.
        log: The file holding the daemon's stdout and stderr.
    """

    repo: Path
    api_port: int
    gateway_port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        """The daemon's process id."""
        return self.process.pid

    @property
    def api_multiaddr(self) -> str:
        """The API address as a multiaddr, the form Kubo's config and the SDK use."""
        return f"/ip4/127.0.0.1/tcp/{self.api_port}/http"

    @property
    def api_url(self) -> str:
        """The API's base URL (``.../api/v0``)."""
        return f"http://127.0.0.1:{self.api_port}/api/v0"

    @property
    def gateway_url(self) -> str:
        """The gateway's base URL."""
        return f"http://127.0.0.1:{self.gateway_port}"

    def rpc(self, command: str, timeout: float = 30.0, **params: str) -> bytes:
        """POST one RPC call (js-ipfs accepts POST only) and return the raw response body."""
        query = "&".join(f"{k}={v}" for k, v in params.items())
        url = f"{self.api_url}/{command}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def add(self, data: bytes, *, timeout: float = 120.0, **params: str) -> dict[str, object]:
        """Add bytes as a file through ``/add`` with a hand-built multipart body.

        Independent of the SDK on purpose (used to make the CID vectors). js-ipfs needs a
        ``Content-Type`` on each part.
        """
        boundary = "panarchy-vector-boundary-7f3a9c"
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="file"; filename="file"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        query = "&".join(f"{k}={v}" for k, v in params.items())
        request = urllib.request.Request(
            f"{self.api_url}/add?{query}",
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            lines = [json.loads(line) for line in response.read().splitlines() if line.strip()]
        return lines[-1]

    def block_file(self, cid: str) -> Path:
        """Return the file in the node's blockstore (flatfs) that holds a block.

        js-ipfs keys blocks by multihash: base32 upper case without the multibase prefix,
        sharded by the next-to-last two characters.
        """
        from multiformats import CID, multibase

        key = multibase.encode(bytes(CID.decode(cid).digest), "base32")[1:].upper()
        path = self.repo / "blocks" / key[-3:-1] / f"{key}.data"
        if not path.exists():
            raise FileNotFoundError(f"no block file {path} for {cid}")
        return path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def offline_config(config: dict[str, object], api_port: int, gateway_port: int) -> dict:
    """Return the node configuration rewritten to run offline on loopback only."""
    config = dict(config)
    config["Bootstrap"] = []
    config["Addresses"] = {
        "Swarm": [],
        "Announce": [],
        "NoAnnounce": [],
        "API": f"/ip4/127.0.0.1/tcp/{api_port}",
        "Gateway": f"/ip4/127.0.0.1/tcp/{gateway_port}",
        "RPC": "",  # no gRPC-over-websocket endpoint
        "Delegates": [],
    }
    config["Discovery"] = {
        "MDNS": {"Enabled": False, "Interval": 10},
        "webRTCStar": {"Enabled": False},
    }
    config["Routing"] = {"Type": "none"}
    config["Pubsub"] = {"Router": "gossipsub", "Enabled": False}
    return config


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _env(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["IPFS_PATH"] = str(repo)
    env.pop("IPFS_API", None)
    # The jsipfs command otherwise spawns update-notifier, which asks the npm registry for
    # a newer version: an outbound connection from a child process.
    env["NO_UPDATE_NOTIFIER"] = "1"
    return env


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop a daemon by its PID: SIGTERM, then SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout)


def _start(workdir: Path) -> JsIpfsNode:
    if not JSIPFS.exists():
        raise RuntimeError(
            f"{JSIPFS} is missing: run `npm ci` in {PROJECT_ROOT} (package.json pins ipfs)"
        )
    repo = workdir / "repo"
    log = workdir / "daemon.log"
    env = _env(repo)
    if not (repo / "config").exists():
        subprocess.run(
            [str(JSIPFS), "init", "--profile", "test", "--empty-repo"],
            env=env,
            check=True,
            capture_output=True,
            timeout=STARTUP_TIMEOUT,
        )
    api_port, gateway_port = free_port(), free_port()
    while gateway_port == api_port:
        gateway_port = free_port()
    config_path = repo / "config"
    config = json.loads(config_path.read_text())
    config_path.write_text(json.dumps(offline_config(config, api_port, gateway_port), indent=2))
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(JSIPFS), "daemon", "--offline", "--enable-preload=false"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    node = JsIpfsNode(repo, api_port, gateway_port, process, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"js-ipfs daemon exited ({process.returncode}):\n{_log_tail(log)}")
        try:
            node.rpc("version", timeout=2.0)
            return node
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    stop(process)
    raise RuntimeError(f"js-ipfs daemon did not answer in {STARTUP_TIMEOUT}s:\n{_log_tail(log)}")


@contextlib.contextmanager
def running_node(workdir: Path, attempts: int = 3) -> Iterator[JsIpfsNode]:
    """Start an offline js-ipfs daemon in ``workdir``; yield it; stop it by its PID.

    Args:
        workdir: An empty directory for the repository and the daemon's log.
        attempts: Tries, in case a picked port was taken between picking and binding.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    node: JsIpfsNode | None = None
    for attempt in range(attempts):
        try:
            node = _start(workdir)
            break
        except RuntimeError:
            if attempt == attempts - 1 or not JSIPFS.exists():
                raise
    assert node is not None
    try:
        yield node
    finally:
        stop(node.process)


def socket_addresses(pid: int) -> list[tuple[str, str, str]]:
    """Return ``(protocol, local, remote)`` for every inet socket a process holds.

    Read from ``/proc``: the process's socket inodes matched against
    ``/proc/<pid>/net/{tcp,tcp6,udp,udp6}``. Addresses are ``ip:port`` strings.
    """
    inodes: set[str] = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found: list[tuple[str, str, str]] = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        table = Path(f"/proc/{pid}/net/{proto}")
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                found.append((proto, _address(fields[1]), _address(fields[2])))
    return found


def _address(hex_address: str) -> str:
    ip_hex, port_hex = hex_address.split(":")
    raw = bytes.fromhex(ip_hex)
    if len(raw) == 4:
        ip = socket.inet_ntop(socket.AF_INET, raw[::-1])
    else:  # /proc prints IPv6 as four little-endian 32-bit words
        words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
        ip = socket.inet_ntop(socket.AF_INET6, words)
    return f"{ip}:{int(port_hex, 16)}"
