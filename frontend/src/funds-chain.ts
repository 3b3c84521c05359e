// The money side's reads: the charter's funds and circles (from the factory's events), a
// fund's ledger (from its own events) and views, a circle's order, rounds and arrears.
// Everything is the contracts' own answer; nothing here applies a rule.

import { zeroAddress, type Address, type PublicClient } from "viem";
import { charterFactoryAbi, roleBookAbi, savingsCircleAbi, solidarityFundAbi } from "./generated/panarchy";

export interface Made {
  address: Address;
  block: bigint;
  token: Address;
}

/** Every fund (or circle) the factory made for `charter`, oldest first. */
export async function madeFor(
  client: PublicClient,
  factory: Address,
  charter: Address,
  kind: "FundCreated" | "CircleCreated",
): Promise<Made[]> {
  const logs = await client.getContractEvents({
    address: factory,
    abi: charterFactoryAbi,
    eventName: kind,
    args: { charter },
    fromBlock: 0n,
  });
  return logs.map((l: any) => ({
    address: (l.args.fund ?? l.args.circle) as Address,
    block: l.blockNumber as bigint,
    token: l.args.token as Address,
  }));
}

/** Where a fund or circle was created (its FundCreated/CircleCreated block), or 0. */
async function createdAt(client: PublicClient, factory: Address | null | undefined, address: Address): Promise<bigint> {
  if (!factory) return 0n;
  for (const kind of ["FundCreated", "CircleCreated"] as const) {
    const key = kind === "FundCreated" ? { fund: address } : { circle: address };
    const logs = await client.getContractEvents({
      address: factory,
      abi: charterFactoryAbi,
      eventName: kind,
      args: key as any,
      fromBlock: 0n,
    });
    if (logs.length) return logs[0].blockNumber as bigint;
  }
  return 0n;
}

export type EntryKind = "contribution" | "disbursement" | "deferred" | "claim";

export interface Entry {
  block: bigint;
  logIndex: number;
  timestamp: number;
  kind: EntryKind;
  party: Address; // who gave, or who was paid
  by: Address | null; // who decided a payment
  amount: bigint;
  memo: `0x${string}`;
  /** What the ledger says is held after this entry: contributed − disbursed + owed. */
  balance: bigint;
}

const KINDS: Record<string, EntryKind> = {
  Contributed: "contribution",
  Disbursed: "disbursement",
  PaymentDeferred: "deferred",
  PaymentClaimed: "claim",
};

const ZERO32 = `0x${"0".repeat(64)}` as const;

/** Every ledger event of a fund or a circle (both keep the same ledger), oldest first. */
export async function ledger(client: PublicClient, address: Address, fromBlock: bigint): Promise<Entry[]> {
  const logs = await client.getContractEvents({ address, abi: solidarityFundAbi, fromBlock });
  const rows = logs
    .filter((l: any) => l.eventName in KINDS)
    .sort((a: any, b: any) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const blocks = [...new Set(rows.map((l: any) => l.blockNumber as bigint))];
  const times = new Map<bigint, number>();
  await Promise.all(
    blocks.map(async (n) => times.set(n, Number((await client.getBlock({ blockNumber: n })).timestamp))),
  );
  let held = 0n;
  return rows.map((l: any) => {
    const kind = KINDS[l.eventName];
    const amount = l.args.amount as bigint;
    // A deferred payment stays in the contract (owed); a claim takes it out.
    held += kind === "contribution" || kind === "deferred" ? amount : -amount;
    return {
      block: l.blockNumber,
      logIndex: l.logIndex,
      timestamp: times.get(l.blockNumber) ?? 0,
      kind,
      party: (l.args.contributor ?? l.args.recipient) as Address,
      by: (l.args.by as Address | undefined) ?? null,
      amount,
      memo: (l.args.memo as `0x${string}` | undefined) ?? ZERO32,
      balance: held,
    };
  });
}

export interface Totals {
  contributed: bigint;
  disbursed: bigint;
  owed: bigint;
  unaccounted: bigint;
  shortfall: bigint;
  holdings: bigint;
  /** The asset balance read from the chain (getBalance, or the token's balanceOf). */
  balance: bigint;
}

const erc20BalanceAbi = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

async function totals(client: PublicClient, address: Address, token: Address): Promise<Totals> {
  const r = (functionName: string) =>
    client.readContract({ address, abi: solidarityFundAbi, functionName: functionName as any }) as Promise<bigint>;
  const [contributed, disbursed, owed, unaccounted, shortfall, holdings, balance] = await Promise.all([
    r("contributed"),
    r("disbursed"),
    r("owed_total"),
    r("unaccounted"),
    r("shortfall"),
    r("holdings"),
    token === zeroAddress
      ? client.getBalance({ address })
      : client.readContract({ address: token, abi: erc20BalanceAbi, functionName: "balanceOf", args: [address] }),
  ]);
  return { contributed, disbursed, owed, unaccounted, shortfall, holdings, balance };
}

export interface FundView {
  address: Address;
  fromBlock: bigint;
  token: Address;
  owner: Address;
  totals: Totals;
  available: bigint;
  limits: { cap: bigint; stewardLimit: bigint; membersOnly: boolean };
  stewardSpent: bigint;
  steward: Address | null;
  stewardMandateEnd: number | null;
  period: { index: number; start: number; end: number; seconds: number };
  givenThisPeriod: bigint | null; // the connected account's, against the cap
}

export async function readFund(
  client: PublicClient,
  address: Address,
  factory: Address | null | undefined,
  account: Address | null,
): Promise<FundView> {
  const r = (functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi: solidarityFundAbi, functionName: functionName as any, args: args as any }) as Promise<any>;
  const [token, owner, limits, spent, available, index, seconds, roleBook, role, fromBlock] = await Promise.all([
    r("token"),
    r("owner"),
    r("limits"),
    r("steward_spent_this_period"),
    r("available"),
    r("current_period"),
    r("period_seconds"),
    r("role_book"),
    r("steward_role"),
    createdAt(client, factory, address),
  ]);
  const [start, end, holder, mandate, given, sums] = await Promise.all([
    r("period_start", [index]),
    r("period_start", [index + 1n]),
    client.readContract({ address: roleBook, abi: roleBookAbi, functionName: "holder", args: [role] }),
    client.readContract({ address: roleBook, abi: roleBookAbi, functionName: "mandate", args: [role] }),
    account ? r("given_this_period", [account]) : Promise.resolve(null),
    totals(client, address, token),
  ]);
  return {
    address,
    fromBlock,
    token,
    owner,
    totals: sums,
    available,
    limits: { cap: limits.contribution_cap, stewardLimit: limits.steward_limit, membersOnly: limits.members_only },
    stewardSpent: spent,
    // The role book's holder (nobody once a mandate lapsed): the one the fund obeys.
    steward: holder === zeroAddress ? null : holder,
    stewardMandateEnd: holder === zeroAddress ? null : Number(mandate.expires_at),
    period: { index: Number(index), start: Number(start), end: Number(end), seconds: Number(seconds) },
    givenThisPeriod: given,
  };
}

export interface Participant {
  address: Address;
  position: number; // 0-based, the published order
  paidRounds: number;
  receivedIn: number | null; // 0-based round
  receivedTotal: bigint;
  owesRounds: number; // rounds open now not paid
}

export interface CircleRound {
  index: number;
  opensAt: number;
  endsAt: number;
  pot: bigint;
  recipient: Address | null;
}

export interface CircleView {
  address: Address;
  fromBlock: bigint;
  token: Address;
  owner: Address;
  contribution: bigint;
  currentRound: number;
  settledRounds: number;
  complete: boolean;
  dissolved: boolean;
  nextRecipient: Address | null;
  participants: Participant[];
  rounds: CircleRound[];
  totals: Totals;
}

export async function readCircle(
  client: PublicClient,
  address: Address,
  factory: Address | null | undefined,
): Promise<CircleView> {
  const r = (functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi: savingsCircleAbi, functionName: functionName as any, args: args as any }) as Promise<any>;
  const [token, owner, contribution, start, current, settled, complete, dissolved, next, order, fromBlock] =
    await Promise.all([
      r("token"),
      r("owner"),
      r("contribution"),
      r("start"),
      r("current_round"),
      r("settled_rounds"),
      r("is_complete"),
      r("is_dissolved"),
      r("next_recipient"),
      r("participants") as Promise<Address[]>,
      createdAt(client, factory, address),
    ]);
  const n = order.length;
  // Rounds open now: the current one and every one before it (the circle's arrears are
  // its `paid_rounds` against its `current_round`).
  const due = Math.min(Number(current) + 1, n);
  const participants = await Promise.all(
    order.map(async (p, position) => {
      const [paid, received, total] = await Promise.all([r("paid_rounds", [p]), r("received_in", [p]), r("received_total", [p])]);
      return {
        address: p,
        position,
        paidRounds: Number(paid),
        receivedIn: Number(received) ? Number(received) - 1 : null,
        receivedTotal: total as bigint,
        owesRounds: Math.max(0, due - Number(paid)),
      };
    }),
  );
  const rounds = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const [end, pot, recipient] = await Promise.all([r("round_end", [BigInt(i)]), r("pot", [BigInt(i)]), r("recipient_of", [BigInt(i)])]);
      return { index: i, endsAt: Number(end), pot: pot as bigint, recipient: recipient === zeroAddress ? null : (recipient as Address) };
    }),
  );
  const withOpen = rounds.map((x, i) => ({ ...x, opensAt: i === 0 ? Number(start) : rounds[i - 1].endsAt }));
  return {
    address,
    fromBlock,
    token,
    owner,
    contribution,
    currentRound: Number(current),
    settledRounds: Number(settled),
    complete,
    dissolved,
    nextRecipient: next === zeroAddress ? null : next,
    participants,
    rounds: withOpen,
    totals: await totals(client, address, token),
  };
}
