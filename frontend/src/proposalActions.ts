// A proposal's actions, read back from its ProposalCreated event (as the SDK does), each in
// plain words (describe.ts) with the stakes level the charter's own table gives it (the
// `stakes_of(target, selector)` view: zero means unlisted, and unlisted calls need majority).

import type { Address, Hex, PublicClient } from "viem";
import { describeAction, describeContext } from "./describe";
import { charterAbi, constants } from "./generated/panarchy";

export interface ProposalAction {
  target: Address;
  value: bigint;
  calldata: Hex;
  summary: string;
  /** stakes_of(target, selector): a level, or 0 when the charter's table does not list it. */
  listed: number;
}

export async function proposalActions(client: PublicClient, charter: Address, id: number): Promise<ProposalAction[]> {
  // The ProposalDocument event is indexed by id; ProposalCreated (Governor's shape) is not,
  // so read it from the same block.
  const docs = await client.getContractEvents({
    address: charter,
    abi: charterAbi,
    eventName: "ProposalDocument",
    args: { proposalId: BigInt(id) },
    fromBlock: 0n,
  });
  const block = docs[0]?.blockNumber;
  if (block === undefined || block === null) return [];
  const created = await client.getContractEvents({
    address: charter,
    abi: charterAbi,
    eventName: "ProposalCreated",
    fromBlock: block,
    toBlock: block,
  });
  const args = created.map((e: any) => e.args).find((a: any) => a.proposalId === BigInt(id));
  if (!args) return [];
  const raw = (args.targets as Address[]).map((target, i) => ({
    target,
    value: (args.values as bigint[])[i],
    calldata: (args.calldatas as Hex[])[i],
  }));
  const ctx = await describeContext(client, charter, raw);
  const listed = await Promise.all(
    raw.map(async (a) =>
      a.calldata.length >= 10
        ? Number(
            await client.readContract({
              address: charter,
              abi: charterAbi,
              functionName: "stakes_of",
              args: [a.target, a.calldata.slice(0, 10) as Hex],
            }),
          )
        : 0,
    ),
  );
  return raw.map((a, i) => ({ ...a, summary: describeAction(ctx, a.target, a.calldata), listed: listed[i] }));
}

/** The level an action is rated at, as the charter's table lists it (unlisted: majority). */
export function listedLevel(action: ProposalAction): number {
  return action.listed || constants.Proposals.MAJORITY;
}
