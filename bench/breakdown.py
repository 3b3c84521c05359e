"""Where the gas goes, side by side: opcode-level breakdowns of the benchmark's key operations.

Runs the benchmark (both sides, base scenario and scaling to 100 members) on an anvil
started with steps tracing, then traces each operation's transaction. Diagnostic only: it
writes nothing. Needs the reference build (run bench/run once first).

    .venv/bin/python bench/breakdown.py [OPERATION ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from panarchy_bench.common import Node, setup_shared  # noqa: E402
from panarchy_bench.reference import load_build  # noqa: E402
from panarchy_bench.runner import run_ours, run_reference  # noqa: E402
from panarchy_bench.trace import breakdown, tracing_anvil_env  # noqa: E402

DEFAULT_OPS = [
    "cast_vote_first",
    "cast_vote_later",
    "relayed_ballot",
    "batch100_per_ballot",
    "propose",
    "execute",
    "delegate",
]


def main(argv: list[str]) -> int:
    ops = argv or DEFAULT_OPS
    tracing_anvil_env()
    from panarchy.node import Anvil

    with Anvil() as anvil:
        node = Node(anvil.url)
        shared = setup_shared(node)
        books = [run_ours(node, shared, (10, 100))]
        books.append(run_reference(node, shared, (10, 100), load_build()))
        for op in ops:
            print(f"\n{op}")
            for book in books:
                m = book.figures.get(op)
                if m is None or m.tx is None:
                    print(f"  {book.side:>9}: n/a")
                    continue
                b = breakdown(node, m.tx)
                scope = (
                    " (the whole batch transaction)"
                    if op.startswith("batch") and book.side == "ours"
                    else ""
                )
                scope = scope or (
                    " (one of the 100 transactions)" if op.startswith("batch") else ""
                )
                print(f"  {book.side:>9}: {b.line()}{scope}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
