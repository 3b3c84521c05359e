"""A member votes without gas from the command line: ``vote --sign-only`` writes a ballot,
a relayer puts it on chain with ``relay submit``; running it again counts nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from panarchy import Charter
from relay_helpers import open_proposal, tallies

PASSWORD = "correct horse battery staple"
RELAYER = "8"  # a development account: the one who pays


def run(
    args: list[str], env: dict[str, str], cwd: Path, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "panarchy.cli", *args], capture_output=True,
                            text=True, env=env, cwd=cwd, timeout=180)  # fmt: skip
    if ok:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


@pytest.fixture
def cli_env(anvil, tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, PANARCHY_RPC=anvil.url, PANARCHY_PASSWORD=PASSWORD,
                PANARCHY_DATA_DIR=str(tmp_path / "data"))  # fmt: skip


def test_cli__members_vote_without_gas_and_a_relayer_submits_their_ballots(
    chain, make_charter, founders, docs, cli_env, tmp_path
):
    charter: Charter = make_charter()
    # Two members with their own keystores; each holds just enough ETH to join.
    voters = []
    for name in ("ada", "bo"):
        address = json.loads(
            run(["--json", "account", "new", f"{name}.json"], cli_env, tmp_path).stdout
        )["address"]
        chain.fund(address, 10**16)
        run(["--account", f"{name}.json", "--charter", charter.address, "join"], cli_env, tmp_path)
        voters.append((name, address))
    chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    pid = open_proposal(charter, founders[0], docs, "cli")

    files = []
    for (name, address), support in zip(voters, ("for", "against"), strict=True):
        before = (chain.w3.eth.get_balance(address), chain.w3.eth.get_transaction_count(address))
        out = tmp_path / f"{name}-ballot.json"
        run(["--account", f"{name}.json", "--charter", charter.address, "vote", str(pid), support,
             "--sign-only", "--out", str(out)], cli_env, tmp_path)  # fmt: skip
        # Signing sends nothing and costs nothing.
        assert (
            chain.w3.eth.get_balance(address),
            chain.w3.eth.get_transaction_count(address),
        ) == before
        assert json.loads(out.read_text())["voter"] == address
        files.append(out)

    # A tampered copy of Bo's ballot (his vote turned around) is refused, with its reason.
    forged = tmp_path / "forged.json"
    doc = json.loads(files[1].read_text())
    doc["support"] = "for"
    forged.write_text(json.dumps(doc))

    db = tmp_path / "relay.sqlite3"
    result = run(["--json", "--dev-account", RELAYER, "relay", "submit", *map(str, files),
                  "--db", str(db)], cli_env, tmp_path)  # fmt: skip
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["confirmed", "confirmed"]
    assert len({r["tx_hash"] for r in rows}) == 1  # one batch, one transaction
    assert tallies(charter, pid) == (1, 1, 0)
    for _, address in voters:
        assert charter.has_voted(pid, address)

    # Again, with the forged copy: nothing new goes on chain; the forgery is named.
    relayer_nonce = chain.w3.eth.get_transaction_count(chain.w3.eth.accounts[int(RELAYER)])
    again = run(["--json", "--dev-account", RELAYER, "relay", "submit", *map(str, files),
                 str(forged), "--db", str(db)], cli_env, tmp_path, ok=False)  # fmt: skip
    assert again.returncode == 1
    rows = json.loads(again.stdout)
    assert [r["status"] for r in rows] == ["confirmed", "confirmed", "refused"]
    assert rows[2]["reason"] == "invalid_signature"
    assert "1 of 3 ballot(s) were not counted" in again.stderr
    assert "Traceback" not in again.stderr
    assert chain.w3.eth.get_transaction_count(chain.w3.eth.accounts[int(RELAYER)]) == relayer_nonce
    assert tallies(charter, pid) == (1, 1, 0)
