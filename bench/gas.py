"""Panarchy's gas and speed benchmark against OpenZeppelin Governor 5.x (issue 6).

Starts anvil (from the npm package) on 127.0.0.1, plays the same scenario on a charter
and on the reference governor in one run, times ballot verification, prints the table
and writes ``bench/results.json``. Run it through ``bench/run``, which installs and
compiles the reference first; ``--ours-only`` needs neither solc nor OpenZeppelin.

    .venv/bin/python bench/gas.py                  # everything, writes bench/results.json
    .venv/bin/python bench/gas.py --ours-only --sizes 10,100 --no-write
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from panarchy_bench.common import BATCH_SIZE, SCALING_SIZES, Node, setup_shared  # noqa: E402
from panarchy_bench.runner import run_ours, run_reference, run_speed  # noqa: E402

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ours-only", action="store_true", help="skip the reference side")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SCALING_SIZES)),
        help="member counts of the scaling scenario (default: %(default)s)",
    )
    parser.add_argument("--speed-seconds", type=float, default=3.0, help="per verification path")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--show", type=Path, metavar="RESULTS", help="print the table of a results file and exit"
    )
    args = parser.parse_args(argv)
    if args.show:
        import json

        from panarchy_bench import report

        print(report.table(json.loads(args.show.read_text())))
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(","))
    if BATCH_SIZE not in sizes:
        print(f"note: the batch figures need {BATCH_SIZE} in --sizes", file=sys.stderr)

    from panarchy.node import Anvil
    from panarchy_bench import report

    build = None
    if not args.ours_only:
        from panarchy_bench.reference import load_build

        build = load_build()

    started = time.monotonic()
    timings: dict[str, float] = {}
    with Anvil() as anvil:
        node = Node(anvil.url)
        anvil_version = str(node.rpc("web3_clientVersion", []))
        shared = setup_shared(node)
        t = time.monotonic()
        ours = run_ours(node, shared, sizes)
        timings["ours_s"] = round(time.monotonic() - t, 1)
        reference = None
        if build is not None:
            t = time.monotonic()
            reference = run_reference(node, shared, sizes, build)
            timings["reference_s"] = round(time.monotonic() - t, 1)
    t = time.monotonic()
    speed = run_speed(args.speed_seconds)
    timings["speed_s"] = round(time.monotonic() - t, 1)
    timings["total_s"] = round(time.monotonic() - started, 1)

    commit, dirty = report.git_commit()
    results: dict[str, Any] = {
        "commit": commit,
        "uncommitted_changes": dirty,
        "contracts_digest": report.contracts_digest(),
        "tools": report.tool_versions(anvil_version, build),
        "scenario": {
            "base_voters": 10,
            "scaling_sizes": list(sizes),
            "batch_size": BATCH_SIZE,
            "gas": "receipt gasUsed per transaction (21,000 base and calldata included)",
            "reference": "OpenZeppelin Governor + GovernorSettings + GovernorCountingSimple + "
            "GovernorVotes + GovernorVotesQuorumFraction over ERC20 + ERC20Permit + ERC20Votes, "
            "no timelock, timestamp clock, 20% quorum, 7-day voting period, threshold 1 token",
        },
        "gas": report.merge(ours, reference),
        "speed": speed,
        "timings": timings,
    }
    results["targets"] = report.evaluate(results)
    print(report.table(results))
    print(f"\nmeasured in {timings['total_s']} s ({timings})")
    if not args.no_write:
        report.write(args.output, results)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
