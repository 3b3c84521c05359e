"""What creating a fund or a circle checks first: the factory founded the charter, and the
signer is the charter or one of its members (the factory's own rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.contract import Contract

from panarchy._utils import artifacts
from panarchy.errors import error_for_revert

if TYPE_CHECKING:
    from panarchy.chain import Chain


def checked_factory(
    chain: Chain, signer: LocalAccount, factory: str, charter: ChecksumAddress
) -> Contract:
    """The factory contract, once it is clear it will let ``signer`` create for ``charter``.

    Raises:
        FactoryError: the factory did not found ``charter``.
        NotAMember: ``signer`` is neither the charter nor one of its members.
    """
    contract = chain.w3.eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )
    if not contract.functions.is_charter(charter).call():
        raise error_for_revert("factory: unknown charter")
    owner = chain.w3.eth.contract(address=charter, abi=artifacts.load("Charter")["abi"])
    if signer.address != charter and not owner.functions.is_member(signer.address).call():
        raise error_for_revert("factory: not a member")
    return contract
