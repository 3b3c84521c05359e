"""The role, fund and circle commands as a community uses them, against a real anvil node.

Most commands run in-process (click's runner: the same ``main``, its error handling and its
output, without paying ~2 s of interpreter start-up per call); one bad input goes through a
real ``python -m panarchy.cli`` process to show the entry point prints one line, no traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from panarchy import Chain, dev_accounts
from panarchy.cli import main

from tests.sdk.cli.test_cli import run
from tests.sdk.conftest import DAY, VOTING

pytestmark = pytest.mark.anvil

ROUND = timedelta(days=7)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Harbour:
    """A charter with a steward, a fund and a circle, made through the CLI."""

    chain: Chain
    env: dict[str, str | None]
    deployments: Path
    files: Path
    charter: str
    fund: str
    circle: str
    alice: str
    bob: str
    carol: str
    dave: str

    def invoke(self, *args: str, ok: bool = True) -> Result:
        return invoke(self.env, self.deployments, *args, ok=ok)

    def json(self, *args: str) -> Any:
        return json.loads(self.invoke("--json", *args).stdout)

    def refused(self, *args: str, code: int = 1) -> str:
        """The command fails with ``code`` and one error line (no traceback); returns it."""
        result = self.invoke(*args, ok=False)
        assert result.exit_code == code, result.stdout + result.stderr
        assert isinstance(result.exception, SystemExit), result.exception  # not a crash
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
        return errors[0]

    def memo(self, name: str, text: str) -> str:
        path = self.files / name
        path.write_text(text)
        return str(path)


def invoke(env: dict[str, str | None], deployments: Path, *args: str, ok: bool = True) -> Result:
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--deployments", str(deployments), *args], env=env
    )
    if ok:
        assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}{result.exception!r}"
    return result


def passed(h: Harbour, *proposals: list[str]) -> list[str]:
    """Propose each (as alice), vote for it (alice, carol), let voting end, execute it;
    return what each proposing printed on stderr."""
    made = [h.invoke("--json", "--dev-account", "0", "propose", *p) for p in proposals]
    ids = [str(json.loads(m.stdout)["id"]) for m in made]
    for pid in ids:
        for voter in ("0", "2"):
            h.invoke("--dev-account", voter, "vote", pid, "for")
    h.chain.advance(VOTING + DAY)
    for pid in ids:
        h.invoke("--dev-account", "0", "execute", pid)
    return [m.stderr for m in made]


@pytest.fixture(scope="module")
def harbour(anvil_node, tmp_path_factory: pytest.TempPathFactory) -> Harbour:
    """Found a charter, define and fill the steward role, create a fund and a circle."""
    tmp = tmp_path_factory.mktemp("harbour")
    env: dict[str, str | None] = {
        "PANARCHY_RPC": anvil_node.url,
        "PANARCHY_DATA_DIR": str(tmp / "data"),
        "PANARCHY_CHARTER": None,
        "PANARCHY_ACCOUNT": None,
        "PANARCHY_PASSWORD": None,
        "COLUMNS": "200",
    }
    alice, bob, carol, dave = (a.address for a in dev_accounts()[:4])
    concord = tmp / "concord.md"
    concord.write_text("# Harbour Collective\n\nWe fix boats together.\n")
    deployments = tmp / "deployments"
    founded = json.loads(
        invoke(env, deployments, "--json", "--dev-account", "0", "found", "--name", "Harbour",
               "--concord", str(concord), "--founder", alice, "--founder", bob,
               "--founder", carol).stdout
    )  # fmt: skip
    env["PANARCHY_CHARTER"] = founded["charter"]
    h = Harbour(Chain.connect(anvil_node.url), env, deployments, tmp, founded["charter"], "", "",
                alice, bob, carol, dave)  # fmt: skip

    # Both proposed at once: a note says the appointment must execute after the definition.
    notes = passed(
        h,
        ["define-role", "steward", "--term", "30d", "--max-terms", "2", "--title", "A steward"],
        ["appoint", "steward", bob, "--title", "Bob keeps the books"],
    )
    assert "there is no role 'steward' yet" in notes[1]
    # A member's fund starts with no steward limit; the charter gives it one by proposal.
    made = h.json("--dev-account", "0", "fund", "create", "--cap", "1")
    h.fund = made["fund"]
    assert made["limits"] == {
        "contribution_cap": 10**18, "steward_limit": 0, "members_only": False,
    }  # fmt: skip
    shown = h.invoke("fund", "show", h.fund).stdout
    assert "the steward (the 'steward' role) may pay out nothing on their own" in shown
    assert f"limits set by the creator {alice}, at creation" in shown
    passed(h, ["fund-limits", h.fund, "--steward-limit", "0.5", "--title", "The steward may pay"])
    circle = h.json("--dev-account", "0", "circle", "create", "--participant", alice,
                    "--participant", bob, "--participant", carol, "--contribution", "0.1",
                    "--round", "7d")  # fmt: skip
    h.circle = circle["circle"]
    assert circle["participants"] == [alice, bob, carol]
    return h


def test_cli_funds__a_steward_keeps_a_fund_and_a_circle_runs_a_round(harbour: Harbour):
    h = harbour
    shown = h.invoke("role", "show", "steward").stdout
    assert f"held by {h.bob}" in shown and "appointed" in shown and "30d" in shown
    assert h.bob in h.invoke("role", "list").stdout
    h.invoke("--dev-account", "2", "role", "volunteer", "steward")
    assert h.json("role", "show", "steward")["rotation_order"] == [h.carol]

    # The terms, and who set them, before anyone gives.
    shown = h.invoke("fund", "show", h.fund).stdout
    assert "terms: at most 1 ETH per contributor per 30d (anyone may contribute)" in shown
    assert "the steward (the 'steward' role) pays out at most 0.5 ETH per 30d" in shown
    assert f"limits set by the charter {h.charter}, by proposal" in shown
    assert f"steward role set by the creator {h.alice} at creation" in shown
    assert "made by this chain's CharterFactory" in shown
    terms = h.json("fund", "show", h.fund)["terms"]
    assert (terms["creator"], terms["limits_set_by"], terms["listed"]) == (
        h.alice, h.charter, True,
    )  # fmt: skip

    # Two contributions, one of them with a memo; the steward pays within the limit.
    gave = h.invoke("--dev-account", "0", "fund", "contribute", h.fund, "0.6",
                    "--memo", h.memo("gift.md", "# Spring gift\n\nFor the slipway.\n"))  # fmt: skip
    assert f"contributing to fund {h.fund}" in gave.stderr
    assert f"limits set by the charter {h.charter}, by proposal" in gave.stderr
    assert f"{h.alice} gave 0.6 ETH to fund {h.fund}" in gave.stdout
    h.invoke("--dev-account", "2", "fund", "contribute", h.fund, "0.4")
    paint = h.memo("paint.md", "# Paint\n\nAntifouling for the hull.\n")
    paid = h.invoke("--dev-account", "1", "fund", "disburse", h.fund, h.dave, "0.3",
                    "--memo", paint)  # fmt: skip
    assert f"paid 0.3 ETH from fund {h.fund} to {h.dave}" in paid.stdout
    assert "0.2 ETH of the steward's limit left" in paid.stdout

    rows = list(csv.DictReader(io.StringIO(
        h.invoke("fund", "ledger", h.fund, "--format", "csv").stdout
    )))  # fmt: skip
    assert [(r["kind"], r["party"], r["amount_eth"]) for r in rows] == [
        ("contribution", h.alice, "0.6"),
        ("contribution", h.carol, "0.4"),
        ("disbursement", h.dave, "0.3"),
    ]
    assert rows[0]["memo_cid"] and not rows[1]["memo_cid"] and rows[2]["by"] == h.bob
    assert "disbursement" in h.invoke("fund", "ledger", h.fund).stdout  # the table
    h.invoke("fund", "ledger", h.fund, "--out", str(h.files / "ledger.json"))
    assert len(json.loads((h.files / "ledger.json").read_text())) == 3

    audit = h.invoke("fund", "audit", h.fund)
    assert "the ledger reconciles" in audit.stdout and "holds 0.7 ETH" in audit.stdout
    assert h.json("fund", "audit", h.fund)["reconciles"] is True
    png = h.files / "balance.png"
    h.invoke("fund", "plot", h.fund, "--out", str(png))
    assert png.read_bytes()[:8] == PNG_SIGNATURE and png.stat().st_size > 10_000
    summary = h.json("fund", "show", h.fund)["summary"]
    assert (summary["holdings"], summary["steward"]) == (7 * 10**17, h.bob)
    assert h.fund in h.invoke("fund", "list").stdout

    # A circle of three: everyone pays round 1, the round ends, its pot goes to alice.
    for account in ("0", "1", "2"):
        h.invoke("--dev-account", account, "circle", "contribute", h.circle)
    h.chain.advance(ROUND)
    settled = h.invoke("--dev-account", "2", "circle", "settle", h.circle).stdout
    assert f"round 1 of 3 settled: 0.3 ETH to {h.alice}" in settled
    circle = h.json("circle", "show", h.circle)
    assert circle["rounds"][0]["recipient"] == h.alice and circle["rounds"][0]["pot"] == 3 * 10**17
    assert [p["paid_rounds"] for p in circle["participants"]] == [1, 1, 1]
    assert circle["participants"][0]["received_in"] == 0
    assert circle["next_recipient"] is None  # nobody has paid round 2 yet
    table = h.invoke("circle", "show", h.circle).stdout
    assert "Participants" in table and "Rounds" in table and "round 1" in table
    assert len(h.invoke("circle", "ledger", h.circle, "--format", "csv").stdout.splitlines()) == 5
    assert "the ledger reconciles" in h.invoke("circle", "audit", h.circle).stdout

    # The charter decides beyond the steward: a larger payment and new limits, by proposal.
    passed(
        h,
        ["fund-disburse", h.fund, h.dave, "0.6", "--memo", h.memo("hull.md", "# Hull\n"),
         "--title", "Repair the hull"],
        ["fund-limits", h.fund, "--cap", "2", "--members-only", "--title", "Members, up to 2"],
    )  # fmt: skip
    shown = h.json("fund", "show", h.fund)
    assert shown["summary"]["holdings"] == 10**17
    assert shown["limits"] == {
        "contribution_cap": 2 * 10**18, "steward_limit": 5 * 10**17, "members_only": True,
    }  # fmt: skip
    assert "the ledger reconciles" in h.invoke("fund", "audit", h.fund).stdout
    gift = h.invoke("--dev-account", "0", "propose", "fund-contribute", h.fund, "0.1",
                    "--title", "The charter gives")  # fmt: skip
    assert "the charter holds 0 ETH now" in gift.stderr and "proposal #" in gift.stdout

    # The steward hands over: bob resigns, and the role rotates to the volunteer.
    h.invoke("--dev-account", "1", "role", "resign", "steward")
    rotated = h.invoke("--dev-account", "3", "role", "rotate", "steward").stdout
    assert f"steward rotated to {h.carol}" in rotated
    assert [e["kind"] for e in h.json("role", "show", "steward")["history"]] == [
        "appointed", "resigned", "rotated",
    ]  # fmt: skip


def test_cli_funds__bad_input_says_what_to_do(harbour: Harbour, tmp_path: Path):
    h = harbour
    assert "'abc' is not an amount" in h.refused("fund", "contribute", h.fund, "abc", code=2)
    assert "is not an amount" in h.refused("fund", "contribute", h.fund, "Infinity", code=2)
    assert "is zero" in h.refused("fund", "contribute", h.fund, "0", code=2)
    assert "'0x1234' is not an address" in h.refused("fund", "show", "0x1234", code=2)
    assert "there is no contract at" in h.refused("fund", "show", h.dave)
    assert f"{h.circle} is not a solidarity fund: it is a savings circle" in h.refused(
        "fund", "show", h.circle
    )
    assert "is not a savings circle" in h.refused("circle", "show", h.fund)
    assert "fund: not the steward (NotTheSteward)" in h.refused(
        "--dev-account", "3", "fund", "disburse", h.fund, h.carol, "0.1",
        "--memo", h.memo("m.md", "# M\n"),
    )  # fmt: skip
    assert "over the contribution cap" in h.refused(
        "--dev-account", "2", "fund", "contribute", h.fund, "5"
    )
    assert "fund: steward limit needs the owner (StewardLimitNeedsOwner)" in h.refused(
        "--dev-account", "1", "fund", "create", "--cap", "1", "--steward-limit", "0.5"
    )
    assert "not a duration" in h.refused(
        "--dev-account", "0", "propose", "define-role", "mediator", "--term", "5x",
        "--title", "t", code=2,
    )  # fmt: skip
    assert "the charter has no role 'mediator'" in h.refused("role", "show", "mediator")
    assert "does not end in .png" in h.refused(
        "fund", "plot", h.fund, "--out", str(tmp_path / "b.jpg"), code=2
    )
    no_record = invoke(h.env, tmp_path / "nowhere", "fund", "list", ok=False)
    assert no_record.exit_code == 1
    assert "no CharterFactory is recorded" in no_record.stderr
    assert "run `panarchy deploy`" in no_record.stderr

    # The real entry point, in its own process: one line on stderr, exit 1, no traceback.
    env = {**os.environ, **{k: v for k, v in h.env.items() if v is not None}}
    for unset in (k for k, v in h.env.items() if v is None):
        env.pop(unset, None)
    charter = run(["--deployments", str(h.deployments), "fund", "show", h.charter], env,
                  tmp_path, ok=False)  # fmt: skip
    assert charter.returncode == 1 and "Traceback" not in charter.stderr
    assert charter.stderr.strip().splitlines() == [
        f"Error: {h.charter} is not a solidarity fund: check the address "
        "(`panarchy fund list` shows this charter's funds) (ConfigurationError)"
    ]


def test_cli_funds__eth_forced_into_a_circle_is_swept_to_its_participants(harbour: Harbour):
    h = harbour
    assert "nothing unaccounted (NothingUnaccounted)" in h.refused(
        "--dev-account", "3", "circle", "sweep", h.circle
    )
    held = h.chain.w3.eth.get_balance(h.circle)
    h.chain.w3.provider.make_request("anvil_setBalance", [h.circle, hex(held + 10)])
    shown = h.invoke("circle", "show", h.circle).stdout
    assert f"panarchy circle sweep {h.circle}" in shown
    assert h.json("circle", "show", h.circle)["unaccounted"] == 10
    swept = h.json("--dev-account", "3", "circle", "sweep", h.circle)
    assert swept["amount"] == 10
    assert swept["shares"] == {h.alice: 4, h.bob: 3, h.carol: 3}
    assert h.json("circle", "show", h.circle)["unaccounted"] == 0
    assert h.chain.w3.eth.get_balance(h.circle) == held
    assert "the ledger reconciles" in h.invoke("circle", "audit", h.circle).stdout


def test_cli_funds__dry_runs_say_what_would_pass_and_send_nothing(harbour: Harbour):
    h = harbour
    w3 = h.chain.w3
    nonces = {a: w3.eth.get_transaction_count(a) for a in (h.alice, h.bob, h.carol, h.dave)}
    held = h.json("fund", "show", h.fund)["summary"]["holdings"]

    gave = h.invoke("--dev-account", "0", "fund", "contribute", h.fund, "0.01", "--dry-run")
    assert gave.stdout.startswith(f"would pass: {h.alice} gives 0.01 ETH to fund {h.fund}, gas ≈ ")
    assert "(nothing was sent)" in gave.stdout
    answer = h.json("--dev-account", "0", "fund", "contribute", h.fund, "0.01", "--dry-run")
    assert answer["would_pass"] is True and answer["gas"] > 21_000
    assert answer["needs_approval"] is False
    assert (
        "would pass: create fund 0x"
        in h.invoke("--dev-account", "0", "fund", "create", "--cap", "1", "--dry-run").stdout
    )
    assert "would pass: create circle 0x" in h.invoke(
        "--dev-account", "0", "circle", "create", "--participant", h.alice, "--participant",
        h.bob, "--contribution", "0.1", "--round", "7d", "--dry-run",
    ).stdout  # fmt: skip
    assert "would pass: " in h.invoke("--dev-account", "1", "role", "volunteer", "steward",
                                      "--dry-run").stdout  # fmt: skip
    proposed = h.json("--dev-account", "0", "propose", "fund-limits", h.fund, "--cap", "3",
                      "--title", "Raise the cap", "--dry-run")  # fmt: skip
    assert proposed["would_pass"] and proposed["what"].startswith(f"proposal #{proposed['id']}")
    assert "set the limits of fund" in proposed["what"]
    assert "contributions of at most 3 ETH a period" in proposed["what"]
    # Each domain's own `propose` is the same command under its short name.
    by_domain = h.json("--dev-account", "0", "fund", "propose", "limits", h.fund, "--cap", "3",
                       "--title", "Raise the cap", "--dry-run")  # fmt: skip
    assert (by_domain["id"], by_domain["what"]) == (proposed["id"], proposed["what"])
    assert "would pass: proposal #" in h.invoke(
        "--dev-account", "0", "role", "propose", "--dry-run", "define", "mediator", "--term",
        "30d", "--title", "A mediator",
    ).stdout  # fmt: skip
    assert "would pass: proposal #" in h.invoke(
        "--dev-account", "0", "propose", "define-role", "mediator", "--term", "30d",
        "--title", "A mediator", "--dry-run",
    ).stdout  # fmt: skip

    # A refusal is the usual one line, with the contract's reason.
    memo = h.memo("dry.md", "# Dry\n")
    assert "fund: not the steward (NotTheSteward)" in h.refused(
        "--dev-account", "3", "fund", "disburse", h.fund, h.carol, "0.1", "--memo", memo,
        "--dry-run",
    )  # fmt: skip
    assert "circle: not a participant (NotAParticipant)" in h.refused(
        "--dev-account", "3", "circle", "contribute", h.circle, "--dry-run"
    )
    assert "ledger: nothing owed (NothingOwed)" in h.refused(
        "--dev-account", "3", "fund", "claim", h.fund, "--dry-run"
    )
    assert "roles: not a member (NotAMemberForRole)" in h.refused(
        "--dev-account", "3", "role", "volunteer", "steward", "--dry-run"
    )
    assert "charter: not a member (NotAMember)" in h.refused(
        "--dev-account", "3", "propose", "recall", "steward", "--title", "t", "--dry-run"
    )

    assert {a: w3.eth.get_transaction_count(a) for a in nonces} == nonces  # nothing was sent
    assert h.json("fund", "show", h.fund)["summary"]["holdings"] == held
    shown = h.json("circle", "show", h.circle)
    assert shown["status"] and isinstance(shown["owing"], list)
    assert shown["settled_up"] is False
