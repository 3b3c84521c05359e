"""Deployments are recorded per chain: interrupted runs resume, repeated runs deploy nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eth_utils import keccak
from panarchy import Chain, DeploymentRecord, deploy_charter, deploy_factory, dev_accounts
from panarchy._utils import artifacts
from panarchy.deploy import RECORD_FORMAT, RecordMismatch
from panarchy.errors import ConfigurationError
from panarchy.node import Anvil

from .conftest import cid_of

ROOT = Path(__file__).resolve().parents[2]


def test_deploy__interrupted_after_broadcast_resumes_without_a_second_transaction(chain, tmp_path):
    signer = dev_accounts()[0]
    record = DeploymentRecord.for_chain(chain, tmp_path)
    # A run that broadcast the implementation and died before its receipt.
    art = artifacts.load("Charter")
    tx_hash = chain.send(
        signer, chain.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"]).constructor()
    )
    record.save_step("Charter", pending=tx_hash)
    nonce = chain.w3.eth.get_transaction_count(signer.address)

    steps = deploy_factory(chain, signer, DeploymentRecord.for_chain(chain, tmp_path))
    assert [(s.name, s.outcome) for s in steps] == [
        ("Charter", "resumed"),
        ("ClauseBook", "deployed"),
        ("RoleBook", "deployed"),
        ("SolidarityFund", "deployed"),
        ("SavingsCircle", "deployed"),
        ("Treaty", "deployed"),
        ("TreatyFund", "deployed"),
        ("CharterFactory", "deployed"),
    ]
    # The six other implementations and the factory: the Charter was not sent again.
    assert chain.w3.eth.get_transaction_count(signer.address) == nonce + 7
    saved = json.loads((tmp_path / f"{chain.chain_id}.json").read_text())
    assert saved["steps"]["Charter"]["pending"] is None
    assert saved["steps"]["Charter"]["address"] == steps[0].address

    again = deploy_factory(chain, signer, DeploymentRecord.for_chain(chain, tmp_path))
    assert [s.outcome for s in again] == ["skipped"] * 8
    assert chain.w3.eth.get_transaction_count(signer.address) == nonce + 7


def test_deploy__a_dropped_pending_transaction_is_sent_again(chain, tmp_path):
    record = DeploymentRecord.for_chain(chain, tmp_path)
    record.save_step("Charter", pending="0x" + "ab" * 32)  # the node never saw it
    steps = deploy_factory(chain, dev_accounts()[0], DeploymentRecord.for_chain(chain, tmp_path))
    assert steps[0].outcome == "deployed"
    assert chain.w3.eth.get_code(steps[0].address)


def test_deploy__a_charter_is_founded_once(chain, tmp_path, store):
    founders = [a.address for a in dev_accounts()[:2]]
    record = DeploymentRecord.for_chain(chain, tmp_path)
    concord = cid_of(store, "concord", "concord")
    charter, steps = deploy_charter(
        chain, dev_accounts()[0], record, name="Once", concord_cid=concord, founders=founders
    )
    assert steps[-1].outcome == "deployed"
    same, steps = deploy_charter(
        chain, dev_accounts()[0], record, name="Once", concord_cid=concord, founders=founders
    )
    assert same.address == charter.address
    assert [s.outcome for s in steps] == ["skipped"] * 9


def test_deploy__a_record_from_another_chain_is_refused(chain, tmp_path):
    path = tmp_path / f"{chain.chain_id}.json"
    path.write_text(json.dumps({"chain_id": 1, "steps": {}}))
    with pytest.raises(ConfigurationError, match="records chain 1"):
        DeploymentRecord.for_chain(chain, tmp_path)


@pytest.mark.anvil
def test_ape_script__deploys_on_a_testnet_stand_in_once(tmp_path):
    """`ape run deploy_charter` on anvil with Sepolia's chain id, run twice."""
    concord = tmp_path / "concord.md"
    concord.write_text("# Lighthouse\n\nWe keep the light on.\n")
    founders = [a.address for a in dev_accounts()[:2]]
    with Anvil(chain_id=11155111) as node:
        env = dict(os.environ, PANARCHY_SEPOLIA_RPC=node.url, PANARCHY_DATA_DIR=str(tmp_path))
        env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
        args = [
            "ape", "run", "deploy_charter", "--network", "ethereum:sepolia:node",
            "--account", "TEST::0", "--yes", "--name", "Lighthouse",
            "--concord", str(concord), "--deployments", str(tmp_path / "deployments"),
        ] + [x for f in founders for x in ("--founder", f)]  # fmt: skip
        first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr + first.stdout
        assert "charter:Lighthouse" in first.stdout and "(deployed)" in first.stdout
        record = json.loads((tmp_path / "deployments" / "11155111.json").read_text())
        address = record["steps"]["charter:Lighthouse"]["address"]
        assert Chain.connect(node.url).w3.eth.get_code(address)

        second = subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert second.returncode == 0, second.stderr + second.stdout
        assert second.stdout.count("(skipped)") == 9
        assert "(deployed)" not in second.stdout


def test_deploy__each_step_records_the_hash_of_the_code_it_deployed(chain, tmp_path):
    steps = deploy_factory(chain, dev_accounts()[0], DeploymentRecord.for_chain(chain, tmp_path))
    saved = json.loads((tmp_path / f"{chain.chain_id}.json").read_text())
    assert saved["format"] == RECORD_FORMAT == 2
    for step in steps:
        code = bytes(chain.w3.eth.get_code(step.address))
        assert saved["steps"][step.name]["code_hash"] == "0x" + keccak(code).hex()


def test_deploy__a_record_without_code_hashes_gets_them_when_run_again(chain, tmp_path):
    deploy_factory(chain, dev_accounts()[0], DeploymentRecord.for_chain(chain, tmp_path))
    path = tmp_path / f"{chain.chain_id}.json"
    saved = json.loads(path.read_text())
    hashes = {name: step.pop("code_hash") for name, step in saved["steps"].items()}
    del saved["format"]
    path.write_text(json.dumps(saved))  # as format 1 wrote it
    again = deploy_factory(chain, dev_accounts()[0], DeploymentRecord.for_chain(chain, tmp_path))
    assert [s.outcome for s in again] == ["skipped"] * 8
    upgraded = json.loads(path.read_text())
    assert {name: step["code_hash"] for name, step in upgraded["steps"].items()} == hashes


RESET_ADVICE = (
    "It is from an earlier chain (was the node reset?), and the charters, funds and circles "
    "it lists are not here. Move it aside (mv {path} {path}.old) and deploy again to start "
    "afresh, or pass --deployments DIR with this chain's record"
)


@pytest.mark.anvil
def test_deploy__a_record_from_before_a_node_reset_is_refused_with_what_to_do(tmp_path):
    signer = dev_accounts()[0]
    with Anvil() as node:
        chain = Chain.connect(node.url)
        steps = deploy_factory(chain, signer, DeploymentRecord.for_chain(chain, tmp_path))
        path = tmp_path / f"{chain.chain_id}.json"
        before = path.read_text()
        chain.w3.provider.make_request("anvil_reset", [])  # type: ignore[arg-type]
        assert not chain.w3.eth.get_code(steps[0].address)

        with pytest.raises(RecordMismatch) as refused:
            DeploymentRecord.for_chain(chain, tmp_path)
        assert str(refused.value) == (
            f"the deployment record {path} does not match this chain: Charter at "
            f"{steps[0].address} has no code on chain 31337. " + RESET_ADVICE.format(path=path)
        )
        assert (refused.value.step, refused.value.address) == ("Charter", steps[0].address)
        assert isinstance(refused.value, ConfigurationError)

        # Deploying over it is refused too: nothing sent, the record untouched.
        record = DeploymentRecord(path, chain.chain_id)  # unchecked, as a caller might
        with pytest.raises(RecordMismatch):
            deploy_factory(chain, signer, record)
        assert chain.w3.eth.get_transaction_count(signer.address) == 0
        assert path.read_text() == before

        # The CLI says the same in one line, for `deploy` and for founding a charter.
        env = dict(os.environ, PANARCHY_RPC=node.url, PANARCHY_DATA_DIR=str(tmp_path / "data"))
        concord = tmp_path / "concord.md"
        concord.write_text("# Lighthouse\n\nWe keep the light on.\n")
        found = ["found", "--name", "Lighthouse", "--concord", str(concord), "--founder",
                 signer.address]  # fmt: skip
        for args in (["--dev-account", "0", "deploy"], ["--dev-account", "0", *found]):
            result = subprocess.run(
                [sys.executable, "-m", "panarchy.cli", "--deployments", str(tmp_path), *args],
                capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
            )  # fmt: skip
            assert result.returncode == 1 and "Traceback" not in result.stderr
            (line,) = result.stderr.strip().splitlines()
            assert line == f"Error: {refused.value} (RecordMismatch)"
        assert "run `panarchy deploy` again" not in line

        # Moved aside, deploying starts afresh.
        path.rename(tmp_path / "31337.json.old")
        fresh = deploy_factory(chain, signer, DeploymentRecord.for_chain(chain, tmp_path))
        assert [s.outcome for s in fresh] == ["deployed"] * 8


@pytest.mark.anvil
def test_deploy__other_code_at_a_recorded_address_is_refused(tmp_path):
    """After a reset the same deployer's first contract lands at the same address: the
    code hash tells it is not the contract the record deployed."""
    signer = dev_accounts()[0]
    with Anvil() as node:
        chain = Chain.connect(node.url)
        steps = deploy_factory(chain, signer, DeploymentRecord.for_chain(chain, tmp_path))
        chain.w3.provider.make_request("anvil_reset", [])  # type: ignore[arg-type]
        art = artifacts.load("RoleBook")  # nonce 0 again: at the recorded Charter's address
        other = chain.transact(
            signer, chain.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"]).constructor()
        )
        assert other["contractAddress"] == steps[0].address
        other_code = r"Charter at 0x\w+ runs other code than it deployed \(code hash 0x\w+…, "
        with pytest.raises(RecordMismatch, match=other_code + r"recorded 0x\w+…\)\. It is from"):
            DeploymentRecord.for_chain(chain, tmp_path)
