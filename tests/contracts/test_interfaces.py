"""The interface files in ``contracts/interfaces/`` keep up with the contracts.

- every function an interface declares is in the ABI of each deployable that implements it,
  with the same inputs, outputs and mutability (compiled with vyper, ``-f abi``);
- every deployable that should implement an interface says ``implements:`` for it (so the
  compiler holds it to the interface too);
- no contract keeps an inline ``interface`` copy of one of these contracts: its callers
  import the ``.vyi`` (inline interfaces are left only for contracts outside Panarchy).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from vyper.cli.vyper_compile import compile_files

from tests.contracts.helpers import CONTRACTS

INTERFACES = CONTRACTS / "interfaces"

#: Which deployables implement which interface.
IMPLEMENTERS: dict[str, list[str]] = {
    "IBook": ["ClauseBook", "RoleBook"],
    "ICharter": ["Charter"],
    "IPolity": ["Charter", "Treaty"],
    "ITreaty": ["Treaty"],
    "IClauseBook": ["ClauseBook"],
    "IRoleBook": ["RoleBook"],
}

#: Which contracts call another Panarchy contract through an interface, and which.
CALLERS: dict[str, list[str]] = {
    "Charter": ["IRoleBook"],
    "CharterFactory": ["ICharter", "IClauseBook", "IRoleBook"],
    "RoleBook": ["ICharter"],
    "SolidarityFund": ["IPolity", "IRoleBook"],
    "TreatyFund": ["ITreaty"],
    "modules/roles": ["ICharter"],
}

#: Inline interfaces that describe contracts outside Panarchy (tokens, proxies, beacons).
FOREIGN_INTERFACES = {"IERC20View", "IUpgradeable"}


@functools.cache
def abi_of(path: Path) -> tuple[dict[str, Any], ...]:
    """The ABI vyper compiles for a deployable or an interface file."""
    result = compile_files([path], ("abi",), paths=[CONTRACTS])
    return tuple(next(iter(result.values()))["abi"])


def functions(abi: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    """The ABI's functions by name (Vyper has no overloading)."""
    return {item["name"]: item for item in abi if item["type"] == "function"}


def shape(item: dict[str, Any]) -> dict[str, Any]:
    """What a caller relies on: inputs (names, types, struct components), outputs, mutability."""
    return {k: item[k] for k in ("inputs", "outputs", "stateMutability")}


def test_every_interface_file_is_covered() -> None:
    assert sorted(p.stem for p in INTERFACES.glob("*.vyi")) == sorted(IMPLEMENTERS)


@pytest.mark.parametrize(
    ("interface", "deployable"),
    [(i, d) for i, ds in IMPLEMENTERS.items() for d in ds],
)
def test_interface_functions_are_in_the_deployables_abi(interface: str, deployable: str) -> None:
    declared = functions(abi_of(INTERFACES / f"{interface}.vyi"))
    actual = functions(abi_of(CONTRACTS / f"{deployable}.vy"))
    assert declared, f"{interface} declares no function"
    missing = sorted(set(declared) - set(actual))
    assert not missing, f"{deployable} lacks {interface}'s {missing}"
    for name, item in declared.items():
        assert shape(actual[name]) == shape(item), f"{deployable}.{name} differs from {interface}"


@pytest.mark.parametrize(
    ("interface", "deployable"),
    [(i, d) for i, ds in IMPLEMENTERS.items() for d in ds],
)
def test_deployable_declares_implements(interface: str, deployable: str) -> None:
    source = (CONTRACTS / f"{deployable}.vy").read_text()
    assert re.search(rf"^from interfaces import {interface}$", source, re.M)
    assert re.search(rf"^implements: {interface}$", source, re.M)


@pytest.mark.parametrize(("caller", "interfaces"), sorted(CALLERS.items()))
def test_callers_import_the_interface_files(caller: str, interfaces: list[str]) -> None:
    source = (CONTRACTS / f"{caller}.vy").read_text()
    for interface in interfaces:
        assert re.search(rf"^from interfaces import {interface}$", source, re.M), (
            f"{caller} should import {interface}"
        )


def test_no_inline_copies_of_panarchy_interfaces() -> None:
    inline = {
        f"{path.relative_to(CONTRACTS)}: {name}"
        for path in sorted(CONTRACTS.rglob("*.vy"))
        for name in re.findall(r"^interface (\w+):", path.read_text(), re.M)
        if name not in FOREIGN_INTERFACES
    }
    assert not inline, f"import the .vyi instead of {sorted(inline)}"
