"""`panarchy app`: one command starts anvil, a community, the relay and the app; Ctrl-C
stops them all."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest
import requests

pytestmark = pytest.mark.anvil


def test_panarchy_app_serves_a_live_community_and_stops_everything() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "panarchy.cli", "app", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout
        deadline = time.monotonic() + 120
        url = None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, f"panarchy app exited early: {''.join(lines)}"
            lines.append(line)
            if m := re.search(r"the web app: (http://127\.0\.0\.1:\d+/)", line):
                url = m.group(1)
        assert url, "".join(lines)
        config = requests.get(url + "config.json", timeout=5).json()
        assert config["chainId"] == 31337
        assert config["rpcUrl"].startswith("http://127.0.0.1:")
        assert config["relayUrl"].startswith("http://127.0.0.1:")
        assert config["factory"].startswith("0x")  # the app finds the funds from its events
        assert "app.js" in requests.get(url, timeout=5).text
        rpc = config["rpcUrl"]
        name = requests.post(
            rpc,
            json={"jsonrpc": "2.0", "id": 1, "method": "eth_getCode",
                  "params": [config["charter"], "latest"]},
            timeout=5,
        ).json()["result"]  # fmt: skip
        assert len(name) > 2  # a charter is deployed there
        assert requests.get(config["relayUrl"] + "/health", timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    assert process.returncode == 0, "".join(lines)
    with pytest.raises(requests.ConnectionError):
        requests.post(rpc, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=2)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
