// SPDX-License-Identifier: AGPL-3.0-only
pragma solidity 0.8.28;

// The reference community's token, as OpenZeppelin's Contracts Wizard writes an
// ERC20Votes token (ERC20 + ERC20Permit + ERC20Votes), in timestamp clock mode
// (ERC-6372), the same clock the charter uses. The wizard's clock override is
// the only change; it costs the same gas as block-number mode (the governor asks
// the token for its clock either way).
//
// Each founding holder gets one whole token: one member, one vote, as on our
// side. Holders still have to delegate (to themselves) before their tokens
// count as votes; the benchmark reports that onboarding cost separately.

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

contract RefToken is ERC20, ERC20Permit, ERC20Votes {
    constructor(address[] memory holders) ERC20("Reference Vote", "RVOTE") ERC20Permit("Reference Vote") {
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], 1e18);
        }
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    // The following functions are overrides required by Solidity.

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}

// The scaling scenario's token: the same, plus a mint that only its deployer may
// call, to give 100 or 1,000 members a token each after deployment (the
// constructor could not mint 1,000 within a block). Used only for the
// membership-scaling figures, never for the deployment cost.
contract RefTokenMintable is RefToken {
    address private immutable _minter;

    constructor(address[] memory holders) RefToken(holders) {
        _minter = msg.sender;
    }

    function mintBatch(address[] calldata holders) external {
        require(msg.sender == _minter, "not the minter");
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], 1e18);
        }
    }
}
