"""The three parts of a run: our side, the reference side, off-chain speed.

Order matters for determinism: the shared setup, then our side, then the reference. The
CI check runs the shared setup and our side only, so it replays a full run's prefix and
must reproduce its figures exactly.
"""

from __future__ import annotations

from typing import Any

from panarchy_bench.common import GasBook, Node, Shared, person


def run_ours(node: Node, shared: Shared, sizes: tuple[int, ...]) -> GasBook:
    """Our side: the base scenario, then scaling. Runs first after the shared setup, so
    that the CI check (shared setup, then this) replays a full run's exact prefix."""
    from panarchy_bench.ours import Ours
    from panarchy_bench.scenario import run_base, run_scaling

    book = GasBook("ours")
    side = Ours(node, shared, book)
    run_base(side)
    run_scaling(side, sizes)
    return book


def run_reference(
    node: Node, shared: Shared, sizes: tuple[int, ...], build: dict[str, Any]
) -> GasBook:
    """The reference side, on the same node and with the same target, after ours."""
    from panarchy_bench.reference import Reference, measure_no_threshold
    from panarchy_bench.scenario import run_base, run_scaling

    book = GasBook("reference")
    side = Reference(node, shared, book, build)
    polity = run_base(side)
    measure_no_threshold(side, polity, person(0))
    run_scaling(side, sizes)
    return book


def run_speed(seconds: float, rounds: int = 2) -> dict[str, Any]:
    """Both verification paths over the same 200 ballots, alternating, best of
    ``rounds`` each (this is a shared 2-core machine: the best round is the least
    disturbed one)."""
    from panarchy_bench.common import Pending
    from panarchy_bench.speed import eth_account_rate, key_backend, make_ballots, ours_rate

    ballots = make_ballots(200)
    generic: list[float] = []
    ours: list[float] = []
    note = None
    for _ in range(rounds):
        generic.append(eth_account_rate(ballots, seconds))
        if note is None:
            try:
                ours.append(ours_rate(ballots, seconds))
            except Pending as why:
                note = f"ours: {why}"
    entry: dict[str, Any] = {
        "ours": round(max(ours)) if ours else None,
        "eth_account": round(max(generic)),
        "seconds_per_round": seconds,
        "rounds": rounds,
        "eth_account_key_backend": key_backend(),
    }
    if note:
        entry["note"] = note
    return {"ballot_verifications_per_s": entry}
