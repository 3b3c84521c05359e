"""The shipped artifacts match the contracts; every revert reason has its typed exception."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from panarchy import errors

ROOT = Path(__file__).resolve().parents[2]
_REASON = re.compile(r'assert [^#\n]*, "([^"]+)"')


def contract_reasons() -> set[str]:
    reasons: set[str] = set()
    for source in (ROOT / "contracts").rglob("*.vy"):
        reasons.update(_REASON.findall(source.read_text()))
    return reasons


def test_artifacts__match_the_contracts():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_artifacts.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"{result.stderr}\nthe SDK's artifacts are stale: run ./dev artifacts"
    )


def test_every_revert_reason_maps_to_a_typed_exception():
    reasons = contract_reasons()
    assert len(reasons) > 40
    assert reasons == set(errors.REVERT_REASONS), (
        f"unmapped: {sorted(reasons - set(errors.REVERT_REASONS))}; "
        f"stale: {sorted(set(errors.REVERT_REASONS) - reasons)}"
    )
    for reason in reasons:
        assert re.fullmatch(r"[a-z]+: [a-z0-9 %]+", reason), f"not namespaced lowercase: {reason}"
        assert errors.error_for_revert(reason).reason == reason


def test_unknown_revert_reason_is_still_an_sdk_error():
    error = errors.error_for_revert("token: something else")
    assert type(error) is errors.ContractReverted
    assert isinstance(error, errors.PanarchyError)


def test_generated_constants__are_the_contracts_values():
    from eth_utils import keccak
    from panarchy import constants
    from panarchy.charter import ballots
    from panarchy.charter.types import ProposalState, Support

    # Each value here is read from the source by the generator, not copied: a change in the
    # contract changes these, and the staleness test above catches a forgotten regeneration.
    assert (
        "0x" + keccak(text=constants.Eip712.BALLOT_TYPE).hex().removeprefix("0x")
        == constants.SignedBallots.BALLOT_TYPEHASH
    )
    assert ballots.BALLOT_TYPEHASH.hex().removeprefix("0x") == (
        constants.SignedBallots.BALLOT_TYPEHASH.removeprefix("0x")
    )
    assert [s.value for s in Support] == [
        constants.Proposals.VOTE_AGAINST,
        constants.Proposals.VOTE_FOR,
        constants.Proposals.VOTE_ABSTAIN,
    ]
    assert ProposalState.EXECUTED == constants.Proposals.EXECUTED
    assert constants.SolidarityFund.MAX_LIMIT == 2**192 - 1


def test_generated_typescript__carries_every_abi_and_the_ballot_type():
    text = (ROOT / "frontend" / "src" / "generated" / "panarchy.ts").read_text()
    for name in (
        "charter",
        "clauseBook",
        "roleBook",
        "solidarityFund",
        "savingsCircle",
        "charterFactory",
    ):
        assert f"export const {name}Abi = [" in text
    assert '{"name": "proposalId", "type": "uint256"}' in text
    assert "MAX_LIMIT: 0xffffffffffffffffffffffffffffffffffffffffffffffffn" in text


def test_every_deployable__fits_eip170_with_room_for_the_books_to_come():
    import json

    sizes = {
        path.stem: json.loads(path.read_text())["runtimeSize"]
        for path in (ROOT / "pysdk" / "panarchy" / "artifacts").glob("*.json")
    }
    assert len(sizes) == 8
    assert all(size < 24_576 for size in sizes.values()), sizes
    # The charter grows with each capability; docs/SPEC.md ("Books") states its size.
    assert sizes["Charter"] <= 0.9 * 24_576, sizes["Charter"]


def test_sdk_sources__name_no_revert_reason_outside_the_table():
    """The contract is the only judge: no SDK module (the CLI, the relay and the demo
    included) spells a contract's revert reason, so none can re-decide a rule and raise it
    itself. The one place a reason is written is the table in ``panarchy/errors``."""
    table = ROOT / "pysdk" / "panarchy" / "errors" / "__init__.py"
    found = []
    for path in sorted((ROOT / "pysdk" / "panarchy").rglob("*.py")):
        if path == table:
            continue
        text = path.read_text()
        found += [
            (str(path.relative_to(ROOT)), reason)
            for reason in errors.REVERT_REASONS
            if f'"{reason}"' in text or f"'{reason}'" in text
        ]
    assert found == []
