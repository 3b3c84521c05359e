// Signed ballots: the member signs an EIP-712 Ballot in the wallet (no gas), the app checks
// the signature locally and asks the charter (a simulated `cast_vote_by_sig`) whether it
// would count it, then posts it to the ballot relay and follows its receipt until counted.

import { verifyTypedData, type Address, type PublicClient } from "viem";
import type { Config } from "./chain";
import { charterAbi, eip712 } from "./generated/panarchy";
import { reasonOf, Refusal, type Wallet } from "./wallet";

export const SUPPORT_NAMES: Record<number, string> = { 0: "against", 1: "for", 2: "abstain" };

export interface BallotFields {
  chainId: number;
  charter: Address;
  proposalId: number;
  support: number;
  voter: Address;
}

/** The typed data the wallet signs, with the generated domain and types. */
export function typedData(b: BallotFields) {
  return {
    domain: { ...eip712.domain, chainId: b.chainId, verifyingContract: b.charter },
    types: eip712.types,
    primaryType: eip712.primaryType,
    message: { proposalId: BigInt(b.proposalId), support: b.support, voter: b.voter },
  } as const;
}

/** The relay's wire format (`panarchy-ballot/1`, as `panarchy vote --sign-only` writes). */
export function ballotJson(b: BallotFields, signature: `0x${string}`): string {
  return JSON.stringify({
    type: "panarchy-ballot/1",
    chain_id: b.chainId,
    charter: b.charter,
    proposal_id: b.proposalId,
    support: SUPPORT_NAMES[b.support],
    voter: b.voter,
    signature,
  });
}

export type Progress = (stage: string, text: string) => void;

const FINAL = new Set(["confirmed", "rejected"]);

/** Sign, verify, simulate, post, follow. Resolves with the relay's final receipt. */
export async function signAndRelay(
  config: Config,
  client: PublicClient,
  wallet: Wallet,
  b: BallotFields,
  progress: Progress,
): Promise<Record<string, unknown>> {
  if (!config.relayUrl) throw new Refusal("this app has no ballot relay configured");
  const data = typedData(b);
  progress("signing", "Waiting for the wallet's signature…");
  const signature = await wallet.signTypedData(data);
  const valid = await verifyTypedData({ ...data, address: b.voter, signature });
  if (!valid) throw new Refusal("the wallet's signature does not recover to the voter; not sent");
  progress("checking", "Signature verified. Checking with the charter…");
  try {
    await client.simulateContract({
      address: b.charter,
      abi: charterAbi,
      functionName: "cast_vote_by_sig",
      args: [BigInt(b.proposalId), b.support, b.voter, signature],
      account: b.voter,
    });
  } catch (err) {
    throw new Refusal(reasonOf(err), err);
  }
  const relay = config.relayUrl.replace(/\/$/, "");
  progress("posting", "The charter would count it. Sending it to the relay…");
  const answer = await fetch(`${relay}/ballots`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: ballotJson(b, signature),
  });
  let receipt = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (!answer.ok) {
    throw new Refusal(`the relay refused it (${receipt.error ?? answer.status}): ${receipt.message ?? ""}`.trim());
  }
  const url = `${relay}/ballots/${b.charter}/${b.proposalId}/${b.voter}`;
  for (;;) {
    const status = String(receipt.status ?? "unknown");
    progress(status, relayText(receipt));
    if (FINAL.has(status)) return receipt;
    await new Promise((r) => setTimeout(r, 700));
    const next = await fetch(url, { cache: "no-store" });
    if (next.ok) receipt = (await next.json()) as Record<string, unknown>;
  }
}

function relayText(r: Record<string, unknown>): string {
  switch (r.status) {
    case "queued":
      return "The relay accepted the ballot; it waits for the next batch.";
    case "submitted":
      return `In transaction ${r.tx_hash}, waiting to be mined.`;
    case "included":
      return `Mined in block ${r.block_number}; waiting for confirmation.`;
    case "confirmed":
      return `Counted: transaction ${r.tx_hash}, block ${r.block_number}.`;
    case "rejected":
      return `Not counted: ${r.reason ?? "rejected"}${r.detail ? ` (${r.detail})` : ""}.`;
    default:
      return `Relay status: ${String(r.status)}.`;
  }
}
