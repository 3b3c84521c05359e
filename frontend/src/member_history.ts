// A member's history from the charter's events: the votes they cast (VoteCast) and who
// delegates to them now (DelegateChanged finds the candidates; delegate_of, read now, decides).

import type { Address, PublicClient } from "viem";
import { charterAbi } from "./generated/panarchy";

export interface VoteCastRow {
  proposalId: number;
  support: number;
  /** The voices counted: the voter's own plus those they carried at the snapshot. */
  weight: bigint;
  reason: string;
  block: bigint;
  time: number;
  tx: `0x${string}`;
}

/** Every VoteCast of `voter` (by transaction or relayed signed ballot), oldest first. */
export async function votesCast(client: PublicClient, charter: Address, voter: Address): Promise<VoteCastRow[]> {
  const logs = await client.getContractEvents({
    address: charter,
    abi: charterAbi,
    eventName: "VoteCast",
    args: { voter },
    fromBlock: 0n,
  });
  const blocks = [...new Set(logs.map((l) => l.blockNumber as bigint))];
  const times = new Map(
    await Promise.all(
      blocks.map(async (n) => [n, Number((await client.getBlock({ blockNumber: n })).timestamp)] as const),
    ),
  );
  return logs.map((l) => {
    const args = (l as any).args;
    return {
      proposalId: Number(args.proposalId),
      support: Number(args.support),
      weight: BigInt(args.weight),
      reason: String(args.reason ?? ""),
      block: l.blockNumber as bigint,
      time: times.get(l.blockNumber as bigint) ?? 0,
      tx: l.transactionHash as `0x${string}`,
    };
  });
}

/** The members whose voice `delegate` carries now. */
export async function delegatorsOf(client: PublicClient, charter: Address, delegate: Address): Promise<Address[]> {
  const logs = await client.getContractEvents({
    address: charter,
    abi: charterAbi,
    eventName: "DelegateChanged",
    args: { toDelegate: delegate },
    fromBlock: 0n,
  });
  const candidates = [...new Set(logs.map((l) => (l as any).args.delegator as Address))];
  const now = await Promise.all(
    candidates.map(
      (c) => client.readContract({ address: charter, abi: charterAbi, functionName: "delegate_of", args: [c] }) as Promise<Address>,
    ),
  );
  return candidates.filter((_, i) => now[i].toLowerCase() === delegate.toLowerCase());
}
