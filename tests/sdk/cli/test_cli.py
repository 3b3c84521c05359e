"""The `panarchy` command as a person uses it, against a real anvil node."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from panarchy import Chain, DeploymentRecord, Support, deploy_charter, dev_accounts
from panarchy.documents import Document, open_store, store_document

from tests.sdk.conftest import VOTING

pytestmark = pytest.mark.anvil

PASSWORD = "correct horse battery staple"


def run(
    args: list[str], env: dict[str, str], cwd: Path, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "panarchy.cli", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
    )  # fmt: skip
    if ok:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


@pytest.fixture
def cli_env(anvil_node, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PANARCHY_RPC=anvil_node.url,
        PANARCHY_PASSWORD=PASSWORD,
        PANARCHY_DATA_DIR=str(tmp_path / "data"),
    )
    return env


def test_cli__a_community_governs_itself_from_the_command_line(anvil_node, cli_env, tmp_path):
    chain = Chain.connect(anvil_node.url)
    # A member's own encrypted keystore, funded on the local node.
    made = json.loads(run(["--json", "account", "new", "alice.json"], cli_env, tmp_path).stdout)
    alice = made["address"]
    chain.fund(alice, 10**18)
    assert oct((tmp_path / "alice.json").stat().st_mode)[-3:] == "600"
    bob = dev_accounts()[1].address

    concord = tmp_path / "concord.md"
    concord.write_text("# Harbour Collective\n\nWe fix boats together.\n")
    founded = json.loads(
        run(
            ["--json", "--account", "alice.json", "found", "--name", "Harbour",
             "--concord", str(concord), "--founder", alice, "--founder", bob,
             "--voting-period", "2d"],
            cli_env, tmp_path,
        ).stdout
    )  # fmt: skip
    cli_env["PANARCHY_CHARTER"] = founded["charter"]
    assert (tmp_path / "deployments" / f"{chain.chain_id}.json").exists()

    clause = tmp_path / "tools.md"
    clause.write_text("# Tools\n\nTools go back on the wall.\n")
    proposed = json.loads(
        run(
            ["--json", "--account", "alice.json", "propose", "enact", "--text", str(clause),
             "--term", "2", "--title", "A rule for tools"],
            cli_env, tmp_path,
        ).stdout
    )  # fmt: skip
    assert proposed["stakes"] == "MAJORITY" and proposed["state"] == "ACTIVE"
    pid = str(proposed["id"])
    run(["--account", "alice.json", "vote", pid, "for"], cli_env, tmp_path)
    run(["--dev-account", "1", "vote", pid, "against"], cli_env, tmp_path)

    # Bad input: one clear line, exit 1, no traceback.
    twice = run(["--account", "alice.json", "vote", pid, "for"], cli_env, tmp_path, ok=False)
    assert twice.returncode == 1
    assert "charter: already voted (AlreadyVoted)" in twice.stderr
    assert "Traceback" not in twice.stderr
    early = run(["--account", "alice.json", "execute", pid], cli_env, tmp_path, ok=False)
    assert "charter: voting not over" in early.stderr

    chain.advance(VOTING)
    shown = json.loads(run(["--json", "proposal", pid], cli_env, tmp_path).stdout)
    # 1 for, 1 against: a majority needs more for than against.
    assert shown["state"] == "DEFEATED"
    assert shown["actions"][0]["summary"].startswith("enact a clause from Qm")

    members = json.loads(run(["--json", "members"], cli_env, tmp_path).stdout)
    assert members == [alice, bob]
    human = run(["proposals"], cli_env, tmp_path).stdout
    assert "DEFEATED" in human
    report = json.loads(run(["--json", "report"], cli_env, tmp_path).stdout)
    assert report["revisions"] == 0 and report["met"] is False


def test_cli__configuration_errors_say_what_to_do(anvil_node, cli_env, tmp_path):
    cli_env.pop("PANARCHY_CHARTER", None)
    no_charter = run(["members"], cli_env, tmp_path, ok=False)
    assert "pass --charter ADDRESS" in no_charter.stderr
    no_account = run(["--charter", dev_accounts()[0].address, "join"], cli_env, tmp_path, ok=False)
    assert "pass --account KEYSTORE" in no_account.stderr
    wrong = run(["--json", "account", "new", "k.json"], cli_env, tmp_path)
    assert wrong.returncode == 0
    cli_env["PANARCHY_PASSWORD"] = "not the password"
    refused = run(["--account", "k.json", "--charter", dev_accounts()[0].address, "join"],
                  cli_env, tmp_path, ok=False)  # fmt: skip
    assert "wrong password for the keystore" in refused.stderr
    down = run(["--rpc", "http://127.0.0.1:9", "members", "--help"], cli_env, tmp_path)
    assert "List the members" in down.stdout
    unreachable = run(["--rpc", "http://127.0.0.1:9", "--charter", dev_accounts()[0].address,
                       "members"], cli_env, tmp_path, ok=False)  # fmt: skip
    assert "cannot reach the chain" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def test_cli__dry_run_says_what_would_pass_and_sends_nothing(anvil_node, cli_env, tmp_path):
    chain = Chain.connect(anvil_node.url)
    ada, bo, newcomer = dev_accounts()[:3]
    store = open_store(data_dir=tmp_path / "data")
    concord = store_document(store, Document(kind="concord", title="Dry Dock", body="We mend."))
    record = DeploymentRecord.for_chain(chain, tmp_path / "deployments")
    charter, _ = deploy_charter(chain, ada, record, name="Dry Dock", concord_cid=concord,
                                founders=[ada.address, bo.address])  # fmt: skip
    cli_env["PANARCHY_CHARTER"] = charter.address

    def said(args: list[str]) -> str:  # stdout, unwrapped (rich wraps at 80 columns)
        return " ".join(run(args, cli_env, tmp_path).stdout.split())

    def nonces() -> list[int]:
        return [chain.w3.eth.get_transaction_count(a.address) for a in (ada, bo, newcomer)]

    before, block = nonces(), chain.w3.eth.block_number
    joining = said(["--dev-account", "2", "join", "--dry-run"])
    assert f"would pass: {newcomer.address} joins, gas ≈ " in joining
    as_json = json.loads(run(["--json", "--dev-account", "2", "join", "--dry-run"],
                             cli_env, tmp_path).stdout)  # fmt: skip
    assert as_json["would_pass"] is True and as_json["gas"] > 21_000
    assert as_json["joined"] == newcomer.address
    # A refusal is the contract's reason, as the one-line error.
    twice = run(["--dev-account", "0", "join", "--dry-run"], cli_env, tmp_path, ok=False)
    assert twice.returncode == 1
    assert "charter: already a member (AlreadyAMember)" in twice.stderr
    assert "Traceback" not in twice.stderr
    clause = tmp_path / "tools.md"
    clause.write_text("# Tools\n\nTools go back on the wall.\n")
    for args in (["propose", "enact", "--text", str(clause), "--term", "1", "--title", "T",
                  "--dry-run"],
                 ["propose", "--dry-run", "enact", "--text", str(clause), "--term", "1",
                  "--title", "T"]):  # fmt: skip
        proposing = said(["--dev-account", "0", *args])
        assert "would pass: proposal #1 opens: enact" in proposing
        assert "(nothing was sent)" in proposing
    assert chain.w3.eth.block_number == block and nonces() == before
    assert charter.proposals() == [] and not charter.is_member(newcomer.address)

    pid = charter.propose(ada, [charter.actions.enact_clause(concord, 1)], concord).id
    charter.vote(ada, pid, Support.FOR)
    before, block = nonces(), chain.w3.eth.block_number
    voting = said(["--dev-account", "1", "vote", str(pid), "for", "--dry-run"])
    assert f"would pass: {bo.address} votes for on #{pid} with weight 1, gas ≈" in voting
    again = run(["--dev-account", "0", "vote", str(pid), "for", "--dry-run"], cli_env, tmp_path,
                ok=False)  # fmt: skip
    assert "charter: already voted (AlreadyVoted)" in again.stderr
    early = run(["--dev-account", "1", "execute", str(pid), "--dry-run"], cli_env, tmp_path,
                ok=False)  # fmt: skip
    assert "charter: voting not over (VotingNotOver)" in early.stderr
    delegating = said(["--dev-account", "1", "delegate", ada.address, "--dry-run"])
    assert f"would pass: {ada.address} carries the voice of {bo.address}" in delegating
    founding = said(["--dev-account", "0", "found", "--name", "Second", "--concord",
                     str(clause), "--founder", ada.address, "--dry-run"])  # fmt: skip
    assert "would pass: charter 'Second' founded at 0x" in founding
    # A keystore's address is enough: a dry run decrypts nothing (the password is wrong here).
    made = json.loads(run(["--json", "account", "new", "k.json"], cli_env, tmp_path).stdout)
    cli_env["PANARCHY_PASSWORD"] = "not the password"
    keyless = said(["--account", "k.json", "join", "--dry-run"])
    assert f"would pass: {made['address']} joins" in keyless
    assert chain.w3.eth.block_number == block and nonces() == before
    assert not charter.has_voted(pid, bo.address) and charter.delegate_of(bo.address) is None
