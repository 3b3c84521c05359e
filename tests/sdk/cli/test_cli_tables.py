"""What `panarchy proposals`, `clauses` and `proposal N` show, against a real anvil node:
each item's title from its document, read and verified through the document store (a
document that cannot be read or verified is marked, never a crash); and the funded
development accounts beyond the tenth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from panarchy import Chain, DeploymentRecord, Support, deploy_charter, dev_accounts
from panarchy.chain import DEV_ACCOUNT_COUNT
from panarchy.documents import Document, compute_cid, open_store, store_document

from tests.sdk.cli import test_cli
from tests.sdk.cli.test_cli import run
from tests.sdk.conftest import VOTING

cli_env = test_cli.cli_env  # the fixture: PANARCHY_RPC, _PASSWORD, _DATA_DIR for a run


def said(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """stdout with its whitespace (and the table's wrapping) folded to single spaces."""
    return " ".join(run(args, env, cwd).stdout.split())


@pytest.mark.anvil
def test_tables__show_titles_and_mark_documents_that_cannot_be_read(anvil_node, cli_env, tmp_path):
    cli_env["COLUMNS"] = "300"  # one table row on one line
    chain = Chain.connect(anvil_node.url)
    ada, bo = dev_accounts()[:2]
    store = open_store(data_dir=tmp_path / "data")  # the store the CLI reads (its data dir)
    concord = store_document(store, Document(kind="concord", title="Quay", body="We moor."))
    record = DeploymentRecord.for_chain(chain, tmp_path / "deployments")
    charter, _ = deploy_charter(chain, ada, record, name="Quay", concord_cid=concord,
                                founders=[ada.address, bo.address])  # fmt: skip
    cli_env["PANARCHY_CHARTER"] = charter.address

    tools = store_document(store, Document(kind="clause", title="Tools", body="On the wall."))
    absent = compute_cid(Document(kind="clause", title="Never stored", body="").to_bytes())
    described = store_document(store, Document(kind="proposal", title="[Quiet] hours",
                                               body="No drills after *22:00*."))  # fmt: skip
    enact = [charter.actions.enact_clause(tools, 2), charter.actions.enact_clause(absent, 1)]
    first = charter.propose(ada, enact, described).id
    for member in (ada, bo):
        charter.vote(member, first, Support.FOR)
    chain.advance(VOTING)
    charter.execute(ada, first)

    tampered = store_document(store, Document(kind="proposal", title="Honest", body="Yes."))
    path = store.object_path(tampered)  # type: ignore[attr-defined]
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b"Honest", b"Forged"))
    plain = store.put(b"# Plain words\n\nA Markdown file added as it is.\n")
    binary = store.put(bytes(range(256)))
    ids = {}
    for name, cid in (("missing", compute_cid(b"not stored")), ("tampered", tampered),
                      ("plain", plain), ("binary", binary)):  # fmt: skip
        ids[name] = charter.propose(ada, [charter.actions.renew_clause(1, 1)], cid).id

    listed = said(["proposals"], cli_env, tmp_path)
    assert f"│ {first} │ [Quiet] hours │ EXECUTED │ MAJORITY │ 2/0/0 │" in listed
    assert f"│ {ids['missing']} │ (not in the document store) │ ACTIVE" in listed
    assert f"│ {ids['tampered']} │ (unverified: content does not match its CID) │" in listed
    assert f"│ {ids['plain']} │ Plain words │" in listed
    assert f"│ {ids['binary']} │ (not a document) │" in listed
    as_json = json.loads(run(["--json", "proposals"], cli_env, tmp_path).stdout)
    assert [p["title"] for p in as_json] == ["[Quiet] hours", None, None, "Plain words", None]
    assert as_json[0]["description_cid"] == described and as_json[0]["state"] == "EXECUTED"

    cli_env.pop("COLUMNS")  # 80 columns: nothing that matters is cut
    narrow = run(["proposals"], cli_env, tmp_path).stdout
    assert "EXECUTED" in narrow and "MAJORITY" in narrow and "2/0/0" in narrow
    narrow_clauses = run(["clauses"], cli_env, tmp_path).stdout
    assert tools[:8] in narrow_clauses and tools[-6:] in narrow_clauses  # folded, not cut
    cli_env["COLUMNS"] = "300"
    clauses = said(["clauses"], cli_env, tmp_path)
    assert f"│ 1 │ Tools │ {tools} │" in clauses
    assert f"│ 2 │ (not in the document store) │ {absent} │" in clauses
    clauses_json = json.loads(run(["--json", "clauses", "--all"], cli_env, tmp_path).stdout)
    assert [(c["id"], c["title"], c["cid"]) for c in clauses_json] == [
        (1, "Tools", tools), (2, None, absent)]  # fmt: skip

    # One proposal: its description (title and body) as well as what it showed before.
    shown = said(["proposal", str(first)], cli_env, tmp_path)
    assert shown.startswith(f"#{first} [Quiet] hours — EXECUTED, needs MAJORITY")
    assert f"description {described}" in shown and "for 2, against 0" in shown
    assert shown.endswith("No drills after *22:00*.")
    one = json.loads(run(["--json", "proposal", str(first)], cli_env, tmp_path).stdout)
    assert one["description"] == {"cid": described, "title": "[Quiet] hours",
                                  "body": "No drills after *22:00*.", "error": None}  # fmt: skip
    assert one["state"] == "EXECUTED" and len(one["actions"]) == 2
    forged = said(["proposal", str(ids["tampered"])], cli_env, tmp_path)
    assert f"#{ids['tampered']} (unverified: content does not match its CID) — ACTIVE" in forged
    assert f"description {tampered} (unverified: content does not match its CID)" in forged
    assert "Forged" not in forged and "Traceback" not in forged
    forged_json = json.loads(run(["--json", "proposal", str(ids["tampered"])], cli_env,
                                 tmp_path).stdout)  # fmt: skip
    assert forged_json["description"] == {
        "cid": tampered, "title": None, "body": None,
        "error": "unverified: content does not match its CID"}  # fmt: skip
    plain_json = json.loads(
        run(["--json", "proposal", str(ids["plain"])], cli_env, tmp_path).stdout
    )
    assert plain_json["description"]["title"] == "Plain words"
    assert plain_json["description"]["body"] == "A Markdown file added as it is.\n"

    # A document store that cannot be opened marks every title; the chain's data still shows.
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data directory should be")
    cli_env["PANARCHY_DATA_DIR"] = str(blocked)
    unopened = run(["proposals"], cli_env, tmp_path)
    assert "Traceback" not in unopened.stderr and "EXECUTED" in unopened.stdout
    assert "(document store unavailable)" in " ".join(unopened.stdout.split())


@pytest.mark.anvil
def test_dev_accounts__twenty_funded_on_a_node_panarchy_starts(anvil_node, cli_env, tmp_path):
    chain = Chain.connect(anvil_node.url)
    accounts = dev_accounts()
    assert DEV_ACCOUNT_COUNT == len(accounts) == 20
    assert [a.address for a in accounts] == chain.w3.eth.accounts  # anvil's own, in order
    last = accounts[-1]
    assert chain.w3.eth.get_balance(last.address) >= 10_000 * 10**18

    store = open_store(data_dir=tmp_path / "data")
    concord = store_document(store, Document(kind="concord", title="Many", body="All of us."))
    record = DeploymentRecord.for_chain(chain, tmp_path / "deployments")
    charter, _ = deploy_charter(chain, accounts[0], record, name="Many", concord_cid=concord,
                                founders=[accounts[0].address])  # fmt: skip
    cli_env["PANARCHY_CHARTER"] = charter.address
    joined = json.loads(run(["--json", "--dev-account", "19", "join"], cli_env, tmp_path).stdout)
    assert joined == {"joined": last.address} and charter.is_member(last.address)
    beyond = run(["--dev-account", "20", "members"], cli_env, tmp_path, ok=False)
    assert beyond.returncode == 2 and "0<=x<=19" in beyond.stderr
    assert "0 to 19" in run(["--help"], cli_env, tmp_path).stdout


def test_dev_accounts__twenty_funded_in_process():
    chain = Chain.in_process()
    balances = [chain.w3.eth.get_balance(a.address) for a in dev_accounts()]
    assert len(balances) == 20 and min(balances) >= 1_000 * 10**18
