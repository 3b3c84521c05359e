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
