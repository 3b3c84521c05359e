"""``panarchy dev fund`` and ``panarchy dev advance``: on a development node, and refused
(one line naming the chain id, nothing sent) on any other."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from click import BadParameter
from panarchy import Chain
from panarchy.accounts import create_keystore
from panarchy.cli.dev import parse_wei
from panarchy.node import Anvil

from tests.sdk.cli.test_cli_errors import PASSWORD, RpcProxy, cli, one_line, usage_error

pytestmark = pytest.mark.anvil

ETH = 10**18
WEEK = timedelta(days=7)
#: What a public node (geth on Sepolia) says about itself.
SEPOLIA_GETH = {"eth_chainId": "0xaa36a7", "web3_clientVersion": "Geth/v1.14.0-stable/linux"}


@pytest.fixture
def env(anvil_node: Anvil, tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ, PANARCHY_RPC=anvil_node.url, PANARCHY_PASSWORD=PASSWORD)
    for unset in ("PANARCHY_ACCOUNT", "PANARCHY_CHARTER"):
        out.pop(unset, None)
    return out


@pytest.fixture
def fresh_address(tmp_path: Path) -> str:
    """A new keystore's address: no ETH on the node."""
    return create_keystore(tmp_path / "fresh.json", PASSWORD)


def test_dev_fund__a_fresh_keystore_can_pay_for_gas(anvil_node, env, tmp_path, fresh_address):
    chain = Chain.connect(anvil_node.url)
    assert chain.w3.eth.get_balance(fresh_address) == 0
    done = cli(["dev", "fund", fresh_address, "1eth"], env, tmp_path)
    assert done.stdout == f"funded {fresh_address} with 1 ETH; balance 1 ETH\n"
    more = json.loads(cli(["--json", "dev", "fund", fresh_address, "0.5eth"], env, tmp_path).stdout)
    assert more == {"address": fresh_address, "funded_wei": ETH // 2, "balance_wei": 3 * ETH // 2}
    cli(["dev", "fund", fresh_address.lower(), "1000"], env, tmp_path)  # plain wei
    assert chain.w3.eth.get_balance(fresh_address) == 3 * ETH // 2 + 1000
    # ...and it pays for a transaction of its own: the CharterFactory deploy.
    deployed = cli(["--account", "fresh.json", "deploy"], env, tmp_path)
    assert "CharterFactory" in deployed.stdout and "(deployed)" in deployed.stdout


def test_dev_advance__moves_the_chain_clock(anvil_node, env, tmp_path):
    chain = Chain.connect(anvil_node.url)
    before = chain.now()
    moved = json.loads(cli(["--json", "dev", "advance", "7d"], env, tmp_path).stdout)
    assert moved["advanced_seconds"] == WEEK.total_seconds()
    after = chain.now()
    assert WEEK <= after - before < WEEK + timedelta(seconds=30)
    assert moved["now"] == after.isoformat()
    text = cli(["dev", "advance", "12h"], env, tmp_path).stdout
    now = chain.now()
    assert timedelta(hours=12) <= now - after < timedelta(hours=12, seconds=30)
    assert text.startswith(f"chain time {now:%Y-%m-%d %H:%M:%S} UTC (was ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["fund", "0x7099", "1eth"], "'0x7099' is not an address: give 0x and 40 hex digits"),
        (["fund", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "1.5xyz"],
         "'1.5xyz' is not an amount: use e.g. 1eth, 0.5eth, 20gwei or a number of wei"),
        (["fund", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0eth"],
         "the amount must be more than zero"),
        (["advance", "7x"], "'7x' is not a duration: use e.g. 3600s, 12h, 7d or 2w"),
        (["advance", "0s"], "move time by at least one second"),
    ],
)  # fmt: skip
def test_dev__bad_input_is_a_usage_error(anvil_node, env, tmp_path, args, expected):
    chain = Chain.connect(anvil_node.url)
    block = chain.w3.eth.block_number
    assert expected in usage_error(cli(["dev", *args], env, tmp_path, code=2))
    assert chain.w3.eth.block_number == block  # nothing happened


@pytest.mark.parametrize(
    "args", [["fund", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1eth"], ["advance", "7d"]]
)
def test_dev__refused_on_a_chain_that_is_not_a_development_one(anvil_node, env, tmp_path, args):
    with RpcProxy(anvil_node.url, override=SEPOLIA_GETH) as sepolia:
        line = one_line(cli(["--rpc", sepolia.url, "dev", *args], env, tmp_path, code=1))
    verb = "accounts can be funded" if args[0] == "fund" else "time can be moved"
    assert line == (
        f"Error: chain 11155111 is not a development chain: {verb} only on anvil or the "
        "in-process chain (start one with `panarchy node`) (ConfigurationError)"
    )
    assert not [m for m in sepolia.methods if m.startswith(("anvil_", "evm_", "eth_send"))]


def test_parse_wei__units_and_fractions():
    assert parse_wei("1eth") == ETH
    assert parse_wei("0.5 ETH") == ETH // 2
    assert parse_wei("20gwei") == 20 * 10**9
    assert parse_wei("1000wei") == parse_wei("1000") == 1000
    assert parse_wei("0.000000000000000001eth") == 1
    with pytest.raises(BadParameter, match="a fraction of a wei: give at most 9 decimals"):
        parse_wei("0.0000000001gwei")
    with pytest.raises(BadParameter, match="is not an amount"):
        parse_wei("-1eth")
