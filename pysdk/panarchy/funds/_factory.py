"""The factory that creates funds and circles, as a contract to call.

Whether it will create for a charter (it founded the charter; the signer is the charter or
one of its members) is the factory's to say: the creation is simulated first, and its
refusal is raised, typed, with nothing sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_utils import to_checksum_address
from web3.contract import Contract

from panarchy._utils import artifacts

if TYPE_CHECKING:
    from panarchy.chain import Chain


def factory_contract(chain: Chain, factory: str) -> Contract:
    """The :class:`CharterFactory` at ``factory``."""
    return chain.w3.eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )
