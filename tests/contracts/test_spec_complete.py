"""The specification and the tests keep up with the contracts.

- every revert reason written in ``contracts/`` (whatever contracts exist when the test
  runs, modules included) appears verbatim in ``docs/SPEC.md``;
- every reason of the snekmate modules the contracts import appears there too (the spec
  says whether it can surface);
- every reason of the contracts these tests cover is asserted by a contract test with
  ``ape.reverts("...")`` (SECURITY.md: every revert reason is triggered by a test that
  asserts it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.contracts.helpers import CONTRACTS, ROOT, contract_sources, reasons_in

SPEC = ROOT / "docs" / "SPEC.md"
TESTS = Path(__file__).resolve().parent

#: The contracts this test suite covers reason by reason (others' new contracts are held
#: to the spec check only, until their own tests land).
COVERED = [
    "Charter.vy",
    "ClauseBook.vy",
    "CharterFactory.vy",
    "SavingsCircle.vy",
    "SolidarityFund.vy",
    "Treaty.vy",
    "TreatyFund.vy",
    "RoleBook.vy",
    "modules/ballots.vy",
    "modules/clauses.vy",
    "modules/delegation.vy",
    "modules/ledger.vy",
    "modules/membership.vy",
    "modules/params.vy",
    "modules/proposals.vy",
    "modules/roles.vy",
    "modules/signed_ballots.vy",
    "modules/stakes.vy",
]

_SNEKMATE_IMPORT = re.compile(r"^from snekmate\.(\w+) import (\w+)", re.M)
# A reason as a test writes it: in `ape.reverts("...")`, or in a parametrize table or a
# helper call whose string ends up in `ape.reverts(reason)`.
_ASSERTED = re.compile(r'"([a-z0-9_]+: [^"]+)"')


def _all_reasons() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in contract_sources():
        for reason in reasons_in(path):
            found.setdefault(reason, []).append(str(path.relative_to(ROOT)))
    return found


def _snekmate_reasons() -> dict[str, str]:
    import snekmate

    base = Path(next(iter(snekmate.__path__)))  # a namespace package: no __file__
    found: dict[str, str] = {}
    for path in contract_sources():
        for package, module in _SNEKMATE_IMPORT.findall(path.read_text()):
            source = base / package / f"{module}.vy"
            for reason in reasons_in(source):
                found[reason] = f"snekmate/{package}/{module}.vy"
    return found


def test_reasons_are_found_at_all():
    """Guards the checks below against a regex that silently finds nothing."""
    reasons = _all_reasons()
    assert len(reasons) >= 50
    assert "charter: not a member" in reasons and "clauses: unknown clause" in reasons
    assert "factory: implementation has no code" in reasons


def test_every_contract_revert_reason_is_in_the_spec():
    spec = SPEC.read_text()
    missing = {r: where for r, where in _all_reasons().items() if f"`{r}`" not in spec}
    assert not missing, f"revert reasons missing from docs/SPEC.md: {missing}"


def test_every_snekmate_revert_reason_is_in_the_spec():
    spec = SPEC.read_text()
    reasons = _snekmate_reasons()
    assert "ecdsa: invalid signature" in reasons
    missing = {r: where for r, where in reasons.items() if f"`{r}`" not in spec}
    assert not missing, f"snekmate revert reasons missing from docs/SPEC.md: {missing}"


def test_spec_lists_no_stale_reason():
    """Every reason in the spec's table still exists somewhere (contracts or snekmate)."""
    spec = SPEC.read_text()
    table = re.findall(r"^\| `([a-z0-9]+: [^`]+)` \|", spec, re.M)
    assert len(table) >= 50
    known = set(_all_reasons()) | set(_snekmate_reasons())
    assert sorted(set(table) - known) == []


@pytest.mark.parametrize("source", COVERED)
def test_every_revert_reason_is_asserted_by_a_test(source):
    path = CONTRACTS / source
    if not path.exists():
        pytest.skip(f"{source} no longer exists")
    asserted = set()
    for test_file in TESTS.rglob("test_*.py"):
        if test_file.name == Path(__file__).name:
            continue
        asserted |= set(_ASSERTED.findall(test_file.read_text()))
    missing = sorted(set(reasons_in(path)) - asserted)
    assert not missing, f"{source}: reasons no test asserts: {missing}"
