"""``panarchy federation`` on a real anvil node: how member charters' voices stand, a
delegate's vote for its charter, the charter's own vote replacing it, leaving."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from panarchy import Chain, dev_accounts
from panarchy.charter import Charter
from panarchy.charter.types import Parameters, Support
from panarchy.deploy import DeploymentRecord, deploy_charter
from panarchy.documents import Document, open_store, store_document
from panarchy.federation import DELEGATE_ROLE, Federation

from tests.sdk.cli.test_cli_funds import invoke

pytestmark = pytest.mark.anvil

DAY = timedelta(days=1)


def test_cli_federation__delegate_votes_the_charter_overrides_then_leaves(
    anvil_node, tmp_path: Path
) -> None:
    chain = Chain.connect(anvil_node.url)
    snapshot = chain.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        _story(chain, anvil_node.url, tmp_path)
    finally:
        chain.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def _story(chain: Chain, rpc: str, tmp: Path) -> None:
    store = open_store(data_dir=tmp / "data")
    deployments = tmp / "deployments"
    record = DeploymentRecord.for_chain(chain, deployments)
    people = dev_accounts()[:4]

    def doc(title: str, kind: str = "proposal") -> str:
        return store_document(store, Document(kind=kind, title=title, body=title))

    def run(charter: Charter, folk, actions) -> None:
        made = charter.propose(folk[0], actions, doc(actions[0].summary[:60]))
        for voter in folk:
            charter.vote(voter, made.id, Support.FOR)
        chain.advance(DAY)
        charter.execute(folk[0], made.id)

    members = []
    for i in range(2):
        folk = people[2 * i : 2 * i + 2]
        charter, _ = deploy_charter(chain, folk[0], record, name=f"Member {i}",
                                    concord_cid=doc(f"m{i}", "concord"),
                                    founders=[f.address for f in folk],
                                    parameters=Parameters(voting_period=DAY))  # fmt: skip
        run(charter, folk, [charter.actions.define_role(DELEGATE_ROLE, timedelta(days=30), 2),
                            charter.actions.appoint(DELEGATE_ROLE, folk[0].address)])  # fmt: skip
        members.append((charter, folk))
    (a, a_folk), (b, _) = members
    fed_charter, _ = deploy_charter(chain, people[0], record, name="River Federation",
                                    concord_cid=doc("federation", "concord"),
                                    founders=[a.address, b.address])  # fmt: skip
    chain.advance(timedelta(seconds=1))
    federation = Federation(chain, fed_charter.address)
    inner = [federation.charter.actions.set_concord(doc("federal", "concord"))]
    run(a, a_folk, [federation.propose_action(inner, doc("a federal concord"))])
    pid = federation.charter.proposals()[-1].id

    env: dict[str, str | None] = {"PANARCHY_RPC": rpc, "PANARCHY_DATA_DIR": str(tmp / "data"),
                                  "PANARCHY_CHARTER": None, "PANARCHY_ACCOUNT": None,
                                  "COLUMNS": "200"}  # fmt: skip
    fed = federation.address

    def cli(*args: str, ok: bool = True):
        return invoke(env, deployments, *args, ok=ok)

    # Not a's delegate (a's second person): one line with the contract's reason.
    refused = cli("--dev-account", "1", "federation", "vote-as-delegate", fed, a.address,
                  str(pid), "for", ok=False)  # fmt: skip
    assert refused.exit_code == 1 and "Traceback" not in refused.stderr
    assert "charter: not a delegate of the member (NotTheMembersDelegate)" in refused.stderr
    dry = json.loads(cli("--json", "--dev-account", "0", "federation", "vote-as-delegate", fed,
                         a.address, str(pid), "for", "--dry-run").stdout)  # fmt: skip
    assert dry["would_pass"] is True and dry["result"] == 1
    assert not federation.member_vote(pid, a.address).voted

    cli("--dev-account", "0", "federation", "vote-as-delegate", fed, a.address, str(pid), "for")
    shown = json.loads(cli("--json", "federation", "show", fed, "--proposal", str(pid)).stdout)
    assert shown[0] == {"member": a.address, "delegate": a_folk[0].address,
                        "voice": "voted by its delegate"}  # fmt: skip
    assert shown[1]["voice"] == "not voted"

    # Charter a votes as a body, by its own proposal: it replaces its delegate's ballot.
    made = json.loads(cli("--json", "--dev-account", "0", "--charter", a.address, "federation",
                          "propose", "vote", fed, str(pid), "against",
                          "--title", "We object").stdout)  # fmt: skip
    for voter in ("0", "1"):
        cli("--dev-account", voter, "--charter", a.address, "vote", str(made["id"]), "for")
    chain.advance(DAY)
    cli("--dev-account", "0", "--charter", a.address, "execute", str(made["id"]))
    counted = federation.charter.proposal(pid)
    assert (counted.for_votes, counted.against_votes) == (0, 1)
    assert "voted as a body" in cli("federation", "show", fed, "--proposal", str(pid)).stdout

    # Leaving, by the member charter's own proposal.
    made = json.loads(cli("--json", "--dev-account", "0", "--charter", a.address, "propose",
                          "federation-leave", fed, "--title", "We go").stdout)  # fmt: skip
    for voter in ("0", "1"):
        cli("--dev-account", voter, "--charter", a.address, "vote", str(made["id"]), "for")
    chain.advance(DAY)
    cli("--dev-account", "0", "--charter", a.address, "execute", str(made["id"]))
    assert not federation.charter.is_member(a.address)
