"""CI's gas check (issue 6): our side of the benchmark against ``bench/results.json``.

It replays the benchmark's shared setup and our side exactly as ``bench/run`` does (same
accounts, same order, a fresh anvil), without the reference (no solc, no OpenZeppelin), and
fails if any of our figures is more than 2% above the checked-in one. Gas is
deterministic, so this is not a timing test: a figure that moved changed because the
contracts or the SDK's calls changed. A figure that improved passes; either way, re-run
``bench/run`` and commit ``bench/results.json`` to record the new numbers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results.json"
sys.path.insert(0, str(REPO / "bench"))

from panarchy_bench.common import SCALING_SIZES, GasBook, Node, setup_shared  # noqa: E402
from panarchy_bench.report import REQUIRED, regressions  # noqa: E402

#: Our side grows one charter to 1,000 members in a few seconds: CI runs every size.
CI_SIZES = SCALING_SIZES
TOLERANCE = 0.02


def _checked_in() -> dict:
    return json.loads(RESULTS.read_text())


def test_results_file__has_every_required_figure() -> None:
    results = _checked_in()
    assert results["commit"], "results.json must name the commit it was measured on"
    for name in REQUIRED:
        row = results["gas"][name]
        assert set(row) >= {"ours", "reference"}, name
    speed = results["speed"]["ballot_verifications_per_s"]
    assert set(speed) >= {"ours", "eth_account"}
    assert {"vyper", "solc", "anvil", "openzeppelin_contracts", "web3"} <= set(results["tools"])


def test_regressions__flag_only_increases_above_tolerance() -> None:
    checked_in = {
        "gas": {
            "same": {"ours": 1000, "reference": 2000},
            "within": {"ours": 1000, "reference": None},
            "over": {"ours": 1000, "reference": None},
            "better": {"ours": 1000, "reference": None},
            "gone": {"ours": 1000, "reference": None},
            "pending": {"ours": None, "reference": 5},
        }
    }
    book = GasBook("ours")
    for name, gas in (("same", 1000), ("within", 1020), ("over", 1021), ("better", 900)):
        book.record(name, gas)
    book.pending("gone", "pending issue 9")
    book.record("pending", 700)
    lines, failures = regressions(checked_in, book, TOLERANCE)
    assert [f.split(":")[0] for f in failures] == ["over", "gone"]
    assert any(line.startswith("pending: new figure 700") for line in lines)
    assert any(line.startswith("better:") and "improved" in line for line in lines)


@pytest.mark.anvil
def test_our_gas__does_not_regress_against_checked_in_results() -> None:
    from panarchy.node import Anvil
    from panarchy_bench.runner import run_ours

    checked_in = _checked_in()
    with Anvil() as anvil:
        node = Node(anvil.url)
        book = run_ours(node, setup_shared(node), CI_SIZES)
    lines, failures = regressions(checked_in, book, TOLERANCE)
    print("\n".join(["our gas vs bench/results.json:", *lines]))
    assert not failures, (
        "our gas regressed by more than 2% against bench/results.json:\n  "
        + "\n  ".join(failures)
        + "\nIf the increase is intended, run bench/run and commit bench/results.json."
    )
