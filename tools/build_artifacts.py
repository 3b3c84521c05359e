"""Compile the deployable contracts into the SDK's package data.

The SDK ships each contract's ABI and bytecode (``pysdk/panarchy/artifacts/*.json``) so
that it runs without a Vyper compiler. Run this after changing anything in
``contracts/``; ``tests/sdk/test_artifacts.py`` fails while the shipped files are stale.

    python tools/build_artifacts.py          # rewrite the artifacts
    python tools/build_artifacts.py --check  # exit 1 if they are stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vyper import __version__ as vyper_version
from vyper.cli.vyper_compile import compile_files

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
ARTIFACTS = ROOT / "pysdk" / "panarchy" / "artifacts"
DEPLOYABLES = (
    "Charter",
    "ClauseBook",
    "RoleBook",
    "SolidarityFund",
    "SavingsCircle",
    "CharterFactory",
)


def build() -> dict[str, str]:
    """Compile every deployable; return file name -> JSON text."""
    out: dict[str, str] = {}
    for name in DEPLOYABLES:
        source = CONTRACTS / f"{name}.vy"
        result = compile_files(
            [source],
            ("abi", "bytecode", "bytecode_runtime"),
            paths=[CONTRACTS],
        )
        compiled = next(iter(result.values()))
        artifact = {
            "contractName": name,
            "compiler": f"vyper-{vyper_version}",
            "abi": compiled["abi"],
            "bytecode": compiled["bytecode"],
            "runtimeSize": (len(compiled["bytecode_runtime"]) - 2) // 2,
        }
        out[f"{name}.json"] = json.dumps(artifact, indent=1, sort_keys=True) + "\n"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report staleness")
    args = parser.parse_args()
    built = build()
    stale = [
        name
        for name, text in built.items()
        if not (ARTIFACTS / name).exists() or (ARTIFACTS / name).read_text() != text
    ]
    if args.check:
        for name in stale:
            print(f"stale: pysdk/panarchy/artifacts/{name}", file=sys.stderr)
        return 1 if stale else 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, text in built.items():
        (ARTIFACTS / name).write_text(text)
        print(f"wrote pysdk/panarchy/artifacts/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
