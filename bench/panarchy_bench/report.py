"""The results: the table, the targets, ``bench/results.json``, and the regression check."""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from panarchy_bench.common import REPO, GasBook

#: The names the issue requires in ``gas``, reference or not.
REQUIRED = (
    "deploy_polity",
    "propose",
    "cast_vote_first",
    "cast_vote_later",
    "relayed_ballot",
    "batch100_per_ballot",
    "execute",
    "cast_vote_10_members",
    "cast_vote_100_members",
    "cast_vote_1000_members",
)

#: The table's sections: (title, operation names, what each row measures).
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Targets",
        [
            ("cast_vote_later", "castVote, the 5th voter of 10"),
            ("cast_vote_first", "castVote, the 1st voter of 10"),
            ("relayed_ballot", "a signed ballot relayed (ref: castVoteBySig)"),
            ("batch100_per_ballot", "100 signed ballots, per ballot (ref: 100 castVoteBySig)"),
            ("propose", "propose, 1 action"),
            ("execute", "execute, 1 action"),
            ("deploy_polity", "deploy a polity (ours: found a charter; ref: token + governor)"),
        ],
    ),
    (
        "Scaling",
        [
            ("cast_vote_10_members", "castVote, 5th voter, 10 members"),
            ("cast_vote_100_members", "castVote, 5th voter, 100 members"),
            ("cast_vote_1000_members", "castVote, 5th voter, 1,000 members"),
            ("execute_5_actions", "execute, 5 actions"),
            ("execute_10_actions", "execute, 10 actions"),
            ("propose_5_actions", "propose, 5 actions"),
            ("propose_10_actions", "propose, 10 actions"),
        ],
    ),
    (
        "Ours alone",
        [
            ("clause_enact", "execute a proposal enacting a clause"),
            ("clause_renew", "execute a proposal renewing a clause"),
            ("join", "a newcomer joins (open admission)"),
            ("leave", "a member leaves"),
            ("delegate", "delegate to another member (ref: ERC20Votes.delegate)"),
            ("fund_create", "create a solidarity fund for a charter"),
            ("fund_contribute", "contribute to the solidarity fund"),
            ("fund_disburse", "the steward disburses"),
        ],
    ),
    (
        "Details",
        [
            ("propose_first", "propose, the polity's first proposal"),
            ("relayed_ballot_first_signature", "relayed ballot, the voter's first signature"),
            ("batch100_per_ballot_first_signature", "batch per ballot, first signatures"),
            ("deploy_one_off", "one-off: implementations + factory, shared by all charters"),
            ("deploy_token", "ref: the ERC20Votes token (10 holders)"),
            ("deploy_governor", "ref: the governor"),
            ("self_delegate", "ref: a holder's self-delegation, before voting"),
            ("propose_no_threshold", "ref variant: propose with proposal threshold 0"),
        ],
    ),
]


@dataclass(frozen=True)
class Target:
    """A target of issue 6: a limit on a ratio, same run."""

    name: str
    limit: str
    value: Callable[[dict[str, Any]], float | None]
    met: Callable[[float], bool]


def _ratio(op: str) -> Callable[[dict[str, Any]], float | None]:
    def value(results: dict[str, Any]) -> float | None:
        row = results["gas"].get(op, {})
        ours, ref = row.get("ours"), row.get("reference")
        return None if ours is None or not ref else ours / ref

    return value


def _growth(results: dict[str, Any]) -> float | None:
    gas = results["gas"]
    small = gas.get("cast_vote_10_members", {}).get("ours")
    large = gas.get("cast_vote_1000_members", {}).get("ours")
    return None if small is None or large is None else large / small - 1


def _speedup(results: dict[str, Any]) -> float | None:
    speed = results["speed"]["ballot_verifications_per_s"]
    ours, generic = speed.get("ours"), speed.get("eth_account")
    return None if ours is None or not generic else ours / generic


TARGETS = [
    Target("cast_vote_later", "≤ 0.60×", _ratio("cast_vote_later"), lambda r: r <= 0.60),
    Target("cast_vote_first", "≤ 0.65×", _ratio("cast_vote_first"), lambda r: r <= 0.65),
    Target("relayed_ballot", "≤ 0.50×", _ratio("relayed_ballot"), lambda r: r <= 0.50),
    Target("batch100_per_ballot", "≤ 0.15×", _ratio("batch100_per_ballot"), lambda r: r <= 0.15),
    Target("propose", "≤ 1.00×", _ratio("propose"), lambda r: r <= 1.00),
    Target("execute", "≤ 1.00×", _ratio("execute"), lambda r: r <= 1.00),
    Target("deploy_polity", "≤ 0.25×", _ratio("deploy_polity"), lambda r: r <= 0.25),
    Target("cast_vote_1000_vs_10_members", "within ±2%", _growth, lambda r: abs(r) <= 0.02),
    Target("ballot_verifications_per_s", "≥ 4× eth-account", _speedup, lambda r: r >= 4),
]


def merge(ours: GasBook, reference: GasBook | None) -> dict[str, dict[str, Any]]:
    """The ``gas`` object: every operation either side measured, in table order."""
    names: list[str] = []
    for _, rows in SECTIONS:
        names += [n for n, _ in rows]
    for book in (ours, reference):
        if book:
            names += [n for n in book.figures if n not in names]
    gas: dict[str, dict[str, Any]] = {}
    for name in names:
        o = ours.figures.get(name)
        r = reference.figures.get(name) if reference else None
        if o is None and r is None and name not in REQUIRED:
            continue
        row: dict[str, Any] = {"ours": o.gas if o else None, "reference": r.gas if r else None}
        notes = []
        if o and o.note:
            notes.append(f"ours: {o.note}")
        if r and r.note:
            notes.append(f"reference: {r.note}")
        if reference is not None and r is None:
            notes.append("reference: no counterpart")
        if notes:
            row["note"] = "; ".join(notes)
        gas[name] = row
    return gas


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target: its value (ratio, growth, speed-up) and whether it is met."""
    out = []
    for t in TARGETS:
        value = t.value(results)
        out.append(
            {
                "name": t.name,
                "limit": t.limit,
                "value": None if value is None else round(value, 4),
                "met": None if value is None else bool(t.met(value)),
            }
        )
    return out


def _fmt_gas(n: int | None) -> str:
    return "n/a" if n is None else f"{n:,}"


def _ours_cell(row: dict[str, Any]) -> str:
    """Our figure; "n/a" when pending on our side, "–" when only the reference has it."""
    if row["ours"] is not None:
        return f"{row['ours']:,}"
    return "n/a" if "ours:" in row.get("note", "") else "–"


def _label(name: str) -> str:
    if name.startswith("deploy_one_off_"):
        return f"one-off: {name.removeprefix('deploy_one_off_')}"
    return name.replace("_", " ")


def _mark(met: bool | None) -> str:
    return {True: "✓", False: "✗", None: "–"}[met]


def table(results: dict[str, Any]) -> str:
    """The results as a Markdown table (readable in a terminal too)."""
    targets = {t["name"]: t for t in results["targets"]}
    lines = [
        "| operation | ours | reference | ours ÷ ref | target | met |",
        "|---|---:|---:|---:|---|:---:|",
    ]
    for title, rows in SECTIONS:
        lines.append(f"| **{title}** | | | | | |")
        for name, what in rows:
            row = results["gas"].get(name)
            if row is None:
                continue
            ours, ref = row["ours"], row["reference"]
            ratio = f"{ours / ref:.2f}×" if ours is not None and ref else ""
            t = targets.get(name)
            limit, met = (t["limit"], _mark(t["met"])) if t else ("", "")
            lines.append(
                f"| {what} | {_ours_cell(row)} | {_fmt_gas(ref) if ref is not None else '–'} "
                f"| {ratio} | {limit} | {met} |"
            )
    listed = {n for _, rows in SECTIONS for n, _ in rows}
    for name, row in results["gas"].items():
        if name not in listed:
            ref = row["reference"]
            lines.append(
                f"| {_label(name)} | {_ours_cell(row)} "
                f"| {_fmt_gas(ref) if ref is not None else '–'} | | | |"
            )
    growth = targets["cast_vote_1000_vs_10_members"]
    shown = "n/a" if growth["value"] is None else f"{growth['value'] * 100:+.2f}%"
    lines.append(
        f"| castVote at 1,000 vs 10 members (ours) | {shown} | | | {growth['limit']} "
        f"| {_mark(growth['met'])} |"
    )
    speed = results["speed"]["ballot_verifications_per_s"]
    sp = targets["ballot_verifications_per_s"]
    ratio = "" if sp["value"] is None else f"{sp['value']:.2f}×"
    ours_s = "n/a" if speed.get("ours") is None else f"{speed['ours']:,.0f}/s"
    ref_s = "n/a" if speed.get("eth_account") is None else f"{speed['eth_account']:,.0f}/s"
    lines.append("| **Off-chain speed** | | | | | |")
    lines.append(
        f"| ballot verifications per second (ref: eth-account) | {ours_s} | {ref_s} | {ratio} "
        f"| {sp['limit']} | {_mark(sp['met'])} |"
    )
    return "\n".join(lines)


# --- provenance ----------------------------------------------------------------------


def git_commit() -> tuple[str | None, bool | None]:
    """HEAD, and whether the code measured (contracts, SDK, harness) had uncommitted
    changes then: results are measured before the commit that checks them in, so
    ``True`` means "HEAD plus the changes committed together with these results"."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()

    measured = ["contracts", "pysdk", "bench/panarchy_bench", "bench/reference", "bench/contracts"]
    try:
        return git("rev-parse", "HEAD"), bool(git("status", "--porcelain", "--", *measured))
    except (OSError, subprocess.CalledProcessError):
        return None, None


def contracts_digest() -> str:
    """sha256 of the SDK's compiled Charter and CharterFactory, the code measured."""
    from panarchy._utils import artifacts

    h = hashlib.sha256()
    for name in ("Charter", "CharterFactory"):
        h.update(artifacts.load(name)["bytecode"].encode())
    return h.hexdigest()


def tool_versions(anvil_version: str, build: dict[str, Any] | None) -> dict[str, str | None]:
    import vyper

    def dist(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    node = None
    with contextlib.suppress(OSError):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "vyper": vyper.__version__,
        "solc": build["solc"] if build else None,
        "openzeppelin_contracts": build["openzeppelin"] if build else None,
        "anvil": anvil_version,
        "web3": dist("web3"),
        "eth_account": dist("eth-account"),
        "coincurve": dist("coincurve"),
        "python": platform.python_version(),
        "node": node,
    }


# --- the regression check ------------------------------------------------------------


def regressions(
    checked_in: dict[str, Any], ours: GasBook, tolerance: float = 0.02
) -> tuple[list[str], list[str]]:
    """Compare our figures with the checked-in ones.

    Returns:
        (report lines, failures): a figure fails when it is more than ``tolerance``
        above the checked-in one, or when a checked-in figure is no longer produced.
        Improvements pass (and say so: re-run ``bench/run`` to record them).
    """
    lines, failures = [], []
    for name, row in checked_in["gas"].items():
        old = row.get("ours")
        if old is None:
            new_m = ours.figures.get(name)
            if new_m is not None and new_m.gas is not None:
                lines.append(f"{name}: new figure {new_m.gas:,} (none checked in): run bench/run")
            continue
        m = ours.figures.get(name)
        if m is None:
            lines.append(f"{name}: not measured in this run (checked in: {old:,})")
            continue
        if m.gas is None:
            failures.append(f"{name}: checked in as {old:,}, now not measured ({m.note})")
            continue
        change = m.gas / old - 1
        status = "ok"
        # In whole basis points, so that exactly +2% is within a 2% tolerance.
        if m.gas * 10_000 > old * (10_000 + round(tolerance * 10_000)):
            status = "REGRESSION"
            failures.append(f"{name}: {old:,} -> {m.gas:,} ({change:+.2%}, limit +{tolerance:.0%})")
        elif change < 0:
            status = "improved: run bench/run to record it"
        lines.append(f"{name}: {old:,} -> {m.gas:,} ({change:+.2%}) {status}")
    return lines, failures


def write(path: Any, results: dict[str, Any]) -> None:
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
