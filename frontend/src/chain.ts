// The read side: one public client on the configured node, the chain's clock, and the
// charter's views (through the generated ABIs, never hand-copied ones).

import { createPublicClient, defineChain, http, type Address, type PublicClient } from "viem";
import { charterAbi, clauseBookAbi, constants } from "./generated/panarchy";

export interface Config {
  rpcUrl: string;
  chainId: number;
  charter: Address;
  relayUrl?: string | null;
  ipfsGateway?: string | null;
  chainName?: string;
  factory?: Address | null; // the CharterFactory: its events list the charter's funds and circles
}

export async function loadConfig(): Promise<Config> {
  const answer = await fetch("config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
  const config = (await answer.json()) as Config;
  if (!config.rpcUrl || !config.chainId || !config.charter) {
    throw new Error("config.json needs rpcUrl, chainId and charter");
  }
  return config;
}

export function makeChain(config: Config) {
  return defineChain({
    id: config.chainId,
    name: config.chainName ?? `chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

export function makeClient(config: Config): PublicClient {
  return createPublicClient({ chain: makeChain(config), transport: http(config.rpcUrl) });
}

/**
 * The chain's clock: the latest block's timestamp, carried forward between blocks by the
 * time elapsed since that block was first seen (a monotonic interval, not the browser's
 * date). When the node's time jumps (anvil's evm_increaseTime), so does this clock.
 */
export class ChainClock {
  blockNumber = -1n;
  private timestamp = 0;
  private seenAt = 0;

  /** Record the latest block; true when it is a new one. */
  observe(number: bigint, timestamp: bigint): boolean {
    if (number === this.blockNumber) return false;
    this.blockNumber = number;
    this.timestamp = Number(timestamp);
    this.seenAt = performance.now();
    return true;
  }

  /** Seconds since the epoch, on the chain's clock. */
  now(): number {
    return this.timestamp + Math.floor((performance.now() - this.seenAt) / 1000);
  }
}

export interface Clause {
  id: number;
  document: `0x${string}`;
  enactedAt: number;
  expiresAt: number;
  version: number;
  renewals: number;
  inForce: boolean;
}

export interface Proposal {
  id: number;
  proposer: Address;
  against: bigint;
  for: bigint;
  abstain: bigint;
  voteEnd: number;
  executionDeadline: number;
  level: number;
  bar: bigint;
  executed: boolean;
  canceled: boolean;
  state: number;
}

export interface Member {
  seat: number;
  account: Address;
  joinedAt: number;
}

export interface Cycle {
  number: number;
  start: number;
  period: number;
  revisions: number;
  quota: number;
  met: boolean;
}

export const STATE_NAMES: Record<number, string> = {
  [constants.Proposals.ACTIVE]: "active",
  [constants.Proposals.CANCELED]: "canceled",
  [constants.Proposals.DEFEATED]: "defeated",
  [constants.Proposals.SUCCEEDED]: "succeeded",
  [constants.Proposals.EXPIRED]: "expired",
  [constants.Proposals.EXECUTED]: "executed",
};

export const STAKES_NAMES: Record<number, string> = {
  [constants.Proposals.CONSENT]: "consent",
  [constants.Proposals.MAJORITY]: "majority",
  [constants.Proposals.SUPERMAJORITY]: "supermajority",
};

export const SUPPORT = {
  against: constants.Proposals.VOTE_AGAINST,
  for: constants.Proposals.VOTE_FOR,
  abstain: constants.Proposals.VOTE_ABSTAIN,
} as const;

/** The charter's views, read at the latest block. */
export class CharterReader {
  private clauseBook: Address | null = null;

  constructor(
    readonly client: PublicClient,
    readonly address: Address,
  ) {}

  private read<F extends string>(functionName: F, args: readonly unknown[] = []): Promise<any> {
    return this.client.readContract({
      address: this.address,
      abi: charterAbi,
      functionName: functionName as any,
      args: args as any,
    });
  }

  private async book(): Promise<Address> {
    if (!this.clauseBook) {
      this.clauseBook = (await this.read("book", [constants.Books.CLAUSES])) as Address;
    }
    return this.clauseBook;
  }

  private async readBook(functionName: string, args: readonly unknown[] = []): Promise<any> {
    return this.client.readContract({
      address: await this.book(),
      abi: clauseBookAbi,
      functionName: functionName as any,
      args: args as any,
    });
  }

  name(): Promise<string> {
    return this.read("name");
  }

  concord(): Promise<`0x${string}`> {
    return this.read("concord");
  }

  async memberCount(): Promise<number> {
    return Number(await this.read("member_count"));
  }

  async members(): Promise<Member[]> {
    const seats = Number(await this.read("seat_count"));
    const rows = await Promise.all(
      Array.from({ length: seats }, (_, i) => this.read("seat", [BigInt(i + 1)])),
    );
    return rows
      .map((s, i) => ({ seat: i + 1, account: s.account, joinedAt: Number(s.joined_at), live: s.live }))
      .filter((s) => s.live)
      .map(({ seat, account, joinedAt }) => ({ seat, account, joinedAt }));
  }

  async clauses(): Promise<Clause[]> {
    const count = Number(await this.readBook("clause_count"));
    const rows = await Promise.all(
      Array.from({ length: count }, (_, i) => this.readBook("clause", [BigInt(i + 1)])),
    );
    return rows.map((c, i) => ({
      id: i + 1,
      document: c.document,
      enactedAt: Number(c.enacted_at),
      expiresAt: Number(c.expires_at),
      version: Number(c.version),
      renewals: Number(c.renewals),
      inForce: c.in_force,
    }));
  }

  async cycle(): Promise<Cycle> {
    const number = Number(await this.readBook("current_cycle"));
    const [start, rules, revisions, met] = await Promise.all([
      this.readBook("cycle_start", [BigInt(number)]),
      this.readBook("rules"),
      this.readBook("revisions_in_cycle", [BigInt(number)]),
      this.readBook("cycle_met_quota", [BigInt(number)]),
    ]);
    return {
      number,
      start: Number(start),
      period: Number(rules.revision_period),
      revisions: Number(revisions),
      quota: Number(rules.revision_quota),
      met,
    };
  }

  async proposalCount(): Promise<number> {
    return Number(await this.read("proposal_count"));
  }

  async proposal(id: number): Promise<Proposal> {
    const [p, state] = await Promise.all([
      this.read("proposal", [BigInt(id)]),
      this.read("state", [BigInt(id)]),
    ]);
    return {
      id,
      proposer: p.proposer,
      against: p.against_votes,
      for: p.for_votes,
      abstain: p.abstain_votes,
      voteEnd: Number(p.vote_end),
      executionDeadline: Number(p.execution_deadline),
      level: Number(p.level),
      bar: p.bar,
      executed: p.executed,
      canceled: p.canceled,
      state: Number(state),
    };
  }

  /** The proposal's description document (its ProposalDocument event), or null. */
  async description(id: number): Promise<`0x${string}` | null> {
    const logs = await this.client.getContractEvents({
      address: this.address,
      abi: charterAbi,
      eventName: "ProposalDocument",
      args: { proposalId: BigInt(id) },
      fromBlock: 0n,
    });
    const doc = (logs[0] as any)?.args?.document as `0x${string}` | undefined;
    return doc ?? null;
  }

  async proposals(): Promise<Proposal[]> {
    const count = await this.proposalCount();
    return Promise.all(Array.from({ length: count }, (_, i) => this.proposal(count - i)));
  }

  hasVoted(id: number, account: Address): Promise<boolean> {
    return this.read("has_voted", [BigInt(id), account]);
  }

  isMember(account: Address): Promise<boolean> {
    return this.read("is_member", [account]);
  }

  async joinedAt(account: Address): Promise<number> {
    return Number(await this.read("joined_at", [account]));
  }

  delegateOf(account: Address): Promise<Address> {
    return this.read("delegate_of", [account]);
  }

  async carriedVoices(account: Address): Promise<number> {
    return Number(await this.read("carried_voices", [account]));
  }
}
