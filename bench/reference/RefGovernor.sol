// SPDX-License-Identifier: AGPL-3.0-only
pragma solidity 0.8.28;

// The reference governor: OpenZeppelin Governor 5.x exactly as the Contracts
// Wizard composes it (Governor + GovernorSettings + GovernorCountingSimple +
// GovernorVotes + GovernorVotesQuorumFraction), without a timelock, so that it
// executes proposals itself as a charter does. Parameters mirror the charter's:
// a one-week voting period, a 20% quorum, and a proposal threshold of one token
// (only a member may propose, as on our side). The voting delay is one second
// (the smallest that is not zero), since a charter opens voting at once.

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

contract RefGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction
{
    constructor(IVotes token, uint256 threshold)
        Governor("Reference Governor")
        GovernorSettings(1 /* second */, 7 days, threshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(20)
    {}

    // The following functions are overrides required by Solidity.

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }
}
