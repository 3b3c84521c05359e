// Proposal actions in plain words, from the table the SDK and the CLI use too
// (pysdk/panarchy/charter/descriptions.json, copied into generated/panarchy.ts): the same
// templates, the same kinds, rendered the same way as panarchy.charter.describe, so the page
// says exactly what `panarchy proposals show` says. Keep the two renderers in step.

import {
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  toFunctionSelector,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { bytes32ToCid } from "./cid";
import {
  actionDescriptions,
  charterAbi,
  charterFactoryAbi,
  clauseBookAbi,
  constants,
  roleBookAbi,
  savingsCircleAbi,
  solidarityFundAbi,
  treatyAbi,
  treatyFundAbi,
} from "./generated/panarchy";

const ABIS: Record<string, Abi> = {
  Charter: charterAbi as Abi,
  ClauseBook: clauseBookAbi as Abi,
  RoleBook: roleBookAbi as Abi,
  SolidarityFund: solidarityFundAbi as Abi,
  SavingsCircle: savingsCircleAbi as Abi,
  CharterFactory: charterFactoryAbi as Abi,
  Treaty: treatyAbi as Abi,
  TreatyFund: treatyFundAbi as Abi,
};
const TEMPLATES = actionDescriptions.templates as Record<string, Record<string, string>>;
const LABELS = actionDescriptions.labels as Record<string, Record<string, string>>;
const COUNTS = actionDescriptions.counts as Record<string, string>;
const PLACEHOLDER = /\{(@?[\w.]+)(?::(\w+))?\}/g;

/** Each contract's functions by selector. */
const functions: Record<string, Map<string, AbiFunction>> = Object.fromEntries(
  Object.entries(ABIS).map(([name, abi]) => [
    name,
    new Map(
      abi
        .filter((e): e is AbiFunction => e.type === "function")
        .map((e) => [toFunctionSelector(e), e] as [string, AbiFunction]),
    ),
  ]),
);

/** What the describer knows: the charter's own contracts, and the tokens of funds. */
export interface DescribeContext {
  own: Record<string, string>; // lowercase address -> contract name
  tokens: Record<string, Address | null>; // lowercase fund address -> token (null: unreadable)
}

/** Which Panarchy contract an action calls, if that can be told. */
export function contractOf(ctx: DescribeContext, target: Address, calldata: Hex): string | null {
  const own = ctx.own[target.toLowerCase()];
  if (own) return own;
  const selector = calldata.slice(0, 10).toLowerCase();
  for (const name of actionDescriptions.guess_order) if (functions[name].has(selector)) return name;
  return null;
}

export function selectorName(selector: Hex): string {
  for (const name of actionDescriptions.selector_order) {
    const fn = functions[name].get(selector.toLowerCase());
    if (fn) return fn.name;
  }
  return selector.toLowerCase();
}

/** Seconds as the SDK writes them: 14d, 29.53d, 90s (integers, rounded half up). */
export function formatDurationExact(seconds: bigint): string {
  for (const [unit, size] of [["d", 86400n], ["h", 3600n], ["m", 60n]] as const) {
    if (seconds >= size) return decimal((seconds * 100n + size / 2n) / size, 2) + unit;
  }
  return `${seconds}s`;
}

function decimal(units: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const digits = (units % scale).toString().padStart(places, "0").replace(/0+$/, "");
  return digits ? `${units / scale}.${digits}` : String(units / scale);
}

function plain(value: unknown): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (value !== null && typeof value === "object") {
    return "(" + Object.entries(value).map(([k, v]) => `${k}=${plain(v)}`).join(", ") + ")";
  }
  return String(value);
}

function formatted(ctx: DescribeContext, target: Address, value: any, kind: string | undefined): string {
  if (kind === undefined) return plain(value);
  switch (kind) {
    case "cid":
      return bytes32ToCid(value) ?? "none";
    case "role": {
      let bytes = hexToBytes(value as Hex);
      let end = bytes.length;
      while (end > 0 && bytes[end - 1] === 0) end--;
      bytes = bytes.slice(0, end);
      return new TextDecoder().decode(bytes);
    }
    case "duration":
      return formatDurationExact(BigInt(value));
    case "bps":
      return decimal(BigInt(value), 2) + "%";
    case "selector":
      return selectorName(value);
    case "asset":
      return BigInt(value) === 0n ? "ETH" : `token ${value}`;
    case "amount": {
      const token = ctx.tokens[target.toLowerCase()];
      if (token === undefined || token === null) return `${value} base units`;
      if (BigInt(token) === 0n) return decimal(BigInt(value), 18) + " ETH";
      return `${value} base units of token ${getAddress(token)}`;
    }
  }
  if (kind in LABELS) return LABELS[kind][String(value)] ?? String(value);
  if (kind in COUNTS) {
    const count = Array.isArray(value) ? value.length : Number(value);
    return `${count} ${COUNTS[kind]}${count === 1 ? "" : "s"}`;
  }
  throw new Error(`descriptions: unknown kind ${kind}`);
}

/** Decoded arguments by name, structs as objects by field name. */
function named(params: readonly AbiParameter[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  params.forEach((p, i) => (out[p.name ?? String(i)] = values[i]));
  return out;
}

/** One action in plain words. */
export function describeAction(ctx: DescribeContext, target: Address, calldata: Hex): string {
  target = getAddress(target);
  const data = calldata.toLowerCase() as Hex;
  if (data.length < 10) return `call ${target}` + (data.length > 2 ? ` (${data})` : "");
  const fallback = `call ${target} (${data.slice(0, 10)})`;
  const contract = contractOf(ctx, target, data);
  const fn = contract ? functions[contract].get(data.slice(0, 10)) : undefined;
  const template = contract && fn ? TEMPLATES[contract]?.[fn.name] : undefined;
  if (!fn || !template) return fallback;
  let args: Record<string, unknown>;
  try {
    const decoded = decodeFunctionData({ abi: [fn], data });
    const values = (decoded.args ?? []) as readonly unknown[];
    // Only canonical calldata, as the SDK: what re-encodes to the same bytes.
    if (encodeFunctionData({ abi: [fn], functionName: fn.name, args: values } as any).toLowerCase() !== data) return fallback;
    args = named(fn.inputs, values);
  } catch {
    return fallback;
  }
  return template.replace(PLACEHOLDER, (_m, path: string, kind: string | undefined) => {
    if (path === "@target") return target;
    let value: any = args;
    for (const part of path.split(".")) value = value[part];
    return formatted(ctx, target, value, kind);
  });
}

/** Read what describing these actions needs: the charter's books, and each fund's token. */
export async function describeContext(
  client: PublicClient,
  charter: Address,
  actions: readonly { target: Address; calldata: Hex }[],
): Promise<DescribeContext> {
  const [clauses, roles] = await Promise.all(
    [constants.Books.CLAUSES, constants.Books.ROLES].map(
      (kind) => client.readContract({ address: charter, abi: charterAbi, functionName: "book", args: [kind] }) as Promise<Address>,
    ),
  );
  const ctx: DescribeContext = {
    own: { [charter.toLowerCase()]: "Charter", [clauses.toLowerCase()]: "ClauseBook", [roles.toLowerCase()]: "RoleBook" },
    tokens: {},
  };
  await Promise.all(
    actions
      .filter((a) => contractOf(ctx, a.target, a.calldata) === "SolidarityFund")
      .map(async (a) => {
        try {
          ctx.tokens[a.target.toLowerCase()] = (await client.readContract({
            address: a.target,
            abi: solidarityFundAbi,
            functionName: "token",
          })) as Address;
        } catch {
          ctx.tokens[a.target.toLowerCase()] = null; // not a fund after all: base units
        }
      }),
  );
  return ctx;
}
