"""What a proposal's targets will run: upgradeable proxies and code that delegates.

The charter records, at a proposal's creation, each target's code hash and the
implementation and beacon it names when asked (``implementation()``, ``beacon()``), and
refuses execution if any changed. What it cannot see on chain is a proxy that keeps its
implementation in a storage slot and answers neither question (an OpenZeppelin v5
``ERC1967Proxy``, say): EVM contracts cannot read each other's storage. A client can: this
module reads the EIP-1967 slots with ``eth_getStorageAt`` and walks the code for
DELEGATECALL, so that a member is told before proposing, and decides with open eyes. It
warns; the contract stays the only judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3 import Web3

#: EIP-1967 slots: ``keccak256("eip1967.proxy.implementation") - 1`` and the beacon's.
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
BEACON_SLOT = 0xA3F0AD74E5423AEBFD80D3EF4346578335A9A72AEAEE59FF6CB3582B35133D50

#: The EIP-1167 minimal proxy's code around its implementation's address. Its
#: implementation is part of its code, so the code hash covers it: not upgradeable.
_MINIMAL_PREFIX = bytes.fromhex("363d3d373d3d3d363d73")
_MINIMAL_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")

_DELEGATECALL = 0xF4
_PUSH1, _PUSH32 = 0x60, 0x7F


@dataclass(frozen=True)
class TargetReport:
    """What one target is, as far as its code and its EIP-1967 slots tell."""

    address: str
    has_code: bool
    implementation: str | None = None  # the EIP-1967 implementation slot, when set
    beacon: str | None = None  # the EIP-1967 beacon slot, when set
    minimal_proxy_of: str | None = None  # an EIP-1167 clone's implementation
    delegates: bool = False  # its code contains DELEGATECALL (a minimal proxy aside)

    @property
    def upgradeable(self) -> bool:
        return self.implementation is not None or self.beacon is not None

    def warnings(self) -> list[str]:
        """Plain-words warnings for a member about to propose a call to this target."""
        out = []
        if self.implementation is not None:
            out.append(
                f"{self.address}: this target is an upgradeable proxy (EIP-1967, implementation "
                f"{self.implementation}); whoever administers it can change what it runs after "
                "the vote, and the charter sees that only if the proxy answers implementation()"
            )
        if self.beacon is not None:
            out.append(
                f"{self.address}: this target is an upgradeable proxy behind a beacon (EIP-1967, "
                f"beacon {self.beacon}); the beacon's owner can change what it runs after the vote"
            )
        if self.delegates and not self.upgradeable:
            out.append(
                f"{self.address}: this target's code contains DELEGATECALL: it may run code "
                "that is not its own, which the vote did not see"
            )
        return out


def inspect_target(w3: Web3, address: str) -> TargetReport:
    """Read a target's code and EIP-1967 slots (three calls)."""
    address = to_checksum_address(address)
    code = bytes(w3.eth.get_code(address))
    if not code:
        return TargetReport(address=address, has_code=False)
    clone = _minimal_proxy_implementation(code)
    if clone is not None:
        return TargetReport(address=address, has_code=True, minimal_proxy_of=clone)
    return TargetReport(
        address=address,
        has_code=True,
        implementation=_slot_address(w3, address, IMPLEMENTATION_SLOT),
        beacon=_slot_address(w3, address, BEACON_SLOT),
        delegates=contains_delegatecall(code),
    )


def contains_delegatecall(code: bytes) -> bool:
    """Whether DELEGATECALL is among the code's instructions (PUSH data skipped)."""
    i = 0
    while i < len(code):
        op = code[i]
        if op == _DELEGATECALL:
            return True
        i += 1 + (op - _PUSH1 + 1 if _PUSH1 <= op <= _PUSH32 else 0)
    return False


def _minimal_proxy_implementation(code: bytes) -> str | None:
    if len(code) == 45 and code.startswith(_MINIMAL_PREFIX) and code.endswith(_MINIMAL_SUFFIX):
        return to_checksum_address(code[10:30])
    return None


def _slot_address(w3: Web3, address: ChecksumAddress, slot: int) -> str | None:
    word = bytes(w3.eth.get_storage_at(address, slot))
    value = int.from_bytes(word, "big")
    if value == 0 or value >= 2**160:
        return None
    return to_checksum_address(value.to_bytes(20, "big"))


__all__ = [
    "IMPLEMENTATION_SLOT",
    "BEACON_SLOT",
    "TargetReport",
    "inspect_target",
    "contains_delegatecall",
]
