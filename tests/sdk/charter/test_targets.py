"""Issue 11, attack 2, in the SDK and the CLI: before proposing, a member is told that a target
is an upgradeable proxy (EIP-1967 slots, read with eth_getStorageAt) or delegates, which the
charter cannot see on chain for a proxy that answers no getter."""

from __future__ import annotations

import json
import warnings

import pytest
from eth_utils import keccak, to_checksum_address
from panarchy import Chain
from panarchy.charter.targets import (
    BEACON_SLOT,
    IMPLEMENTATION_SLOT,
    contains_delegatecall,
    inspect_target,
)
from panarchy.charter.types import Action
from panarchy.errors import UpgradeableTargetWarning

from tests.sdk.cli.test_cli import cli_env, run  # noqa: F401  (the CLI fixture)
from tests.sdk.conftest import cid_of


def _eip1967_proxy_code(implementation: str, slot: int = IMPLEMENTATION_SLOT) -> bytes:
    """Creation code of a bare EIP-1967 proxy (as OpenZeppelin v5's ERC1967Proxy behaves:
    no getter at all): it stores ``implementation`` in ``slot`` and delegates every call."""
    slot32 = slot.to_bytes(32, "big")
    runtime = (
        bytes.fromhex("365f5f37" "5f5f365f" "7f") + slot32  # calldatacopy; call args; slot
        + bytes.fromhex("545af4" "3d5f5f3e" "603657" "3d5ffd" "5b3d5ff3")
    )  # fmt: skip
    assert len(runtime) == 58
    init = (
        b"\x73" + bytes.fromhex(implementation[2:]) + b"\x7f" + slot32 + b"\x55"  # sstore
        + bytes.fromhex("603a" "6041" "5f" "39" "603a" "5f" "f3")  # codecopy, return
    )  # fmt: skip
    assert len(init) == 0x41
    return init + runtime


def _deploy(chain: Chain, signer, code: bytes) -> str:
    receipt = chain.transact(signer, None, data=code)
    return to_checksum_address(receipt["contractAddress"])


def test_inspect__eip1967_proxy_beacon_clone_and_plain_code(chain: Chain, make_charter, founder):
    charter = make_charter()
    implementation = charter.book.address  # any contract with code
    proxy = _deploy(chain, founder, _eip1967_proxy_code(implementation))
    beacon_proxy = _deploy(chain, founder, _eip1967_proxy_code(implementation, BEACON_SLOT))

    report = inspect_target(chain.w3, proxy)
    assert (report.implementation, report.beacon, report.upgradeable) == (
        implementation,
        None,
        True,
    )
    assert "this target is an upgradeable proxy (EIP-1967" in report.warnings()[0]
    beacon = inspect_target(chain.w3, beacon_proxy)
    assert beacon.beacon == implementation and "behind a beacon" in beacon.warnings()[0]
    # The charter's clause book is an EIP-1167 clone: its implementation is in its code.
    clone = inspect_target(chain.w3, charter.book.address)
    assert clone.minimal_proxy_of is not None and clone.warnings() == []
    # An account without code: nothing to say.
    assert inspect_target(chain.w3, "0x" + "11" * 20).warnings() == []


def test_contains_delegatecall__skips_push_data():
    assert contains_delegatecall(bytes.fromhex("5af4"))
    assert not contains_delegatecall(bytes.fromhex("60f4" "7f" + "f4" * 32 + "00"))  # fmt: skip
    assert contains_delegatecall(bytes.fromhex("60f4" "f4"))  # fmt: skip


def test_propose__warns_for_an_upgradeable_target_and_still_proposes(
    chain: Chain, make_charter, founder, store
):
    charter = make_charter()
    proxy = _deploy(chain, founder, _eip1967_proxy_code(charter.book.address))
    action = Action(target=proxy, value=0, calldata=keccak(text="anything()")[:4])
    with pytest.warns(UpgradeableTargetWarning, match="upgradeable proxy"):
        made = charter.propose(founder, [action], cid_of(store, "call", "proposal"))
    assert made.id == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", UpgradeableTargetWarning)
        charter.propose(founder, [charter.actions.set_concord(cid_of(store, "c2", "concord"))],
                        cid_of(store, "own", "proposal"))  # fmt: skip


@pytest.mark.anvil
def test_cli_propose_call__says_the_target_is_an_upgradeable_proxy(
    anvil_node,
    cli_env,  # noqa: F811
    tmp_path,
):
    from panarchy import dev_accounts

    chain = Chain.connect(anvil_node.url)
    ada = dev_accounts()[0]
    concord = tmp_path / "concord.md"
    concord.write_text("# Dock\n\nWe share a dock.\n")
    founded = json.loads(
        run(["--json", "--dev-account", "0", "found", "--name", "Dock", "--concord", str(concord),
             "--founder", ada.address], cli_env, tmp_path).stdout
    )  # fmt: skip
    cli_env["PANARCHY_CHARTER"] = founded["charter"]
    proxy = _deploy(chain, ada, _eip1967_proxy_code(founded["charter"]))
    result = run(
        ["--json", "--dev-account", "0", "propose", "call", proxy, "--calldata", "0x12345678",
         "--title", "Call the proxy"], cli_env, tmp_path,
    )  # fmt: skip
    assert "this target is an upgradeable proxy (EIP-1967" in result.stderr
    assert json.loads(result.stdout)["stakes"] == "MAJORITY"
    bad = run(["--dev-account", "0", "propose", "call", proxy, "--calldata", "0xzz",
               "--title", "x"], cli_env, tmp_path, ok=False)  # fmt: skip
    assert bad.returncode != 0 and "--calldata" in bad.stderr and "Traceback" not in bad.stderr
