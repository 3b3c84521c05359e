// What the propose page needs besides the charter's views: documents stored through the app
// server (POST /ipfs, the SDK's DocumentStore: the real CID comes back), CIDs and role names
// as the contracts take them, and the actions encoded on the generated ABIs.

import { encodeFunctionData, getAddress, parseEther, stringToHex, type Address, type Hex, type PublicClient } from "viem";
import { clauseBookAbi, constants, charterAbi, roleBookAbi, solidarityFundAbi } from "./generated/panarchy";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** A CIDv0 (`Qm…`, sha2-256 dag-pb) as the 32-byte digest the chain keeps. */
export function cidToBytes32(cid: string): Hex {
  const text = cid.trim();
  let n = 0n;
  for (const ch of text) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw new Error(`${text} is not a CID (Qm…)`);
    n = n * 58n + BigInt(digit);
  }
  const hex = n.toString(16).padStart(68, "0");
  if (!text.startsWith("Qm") || hex.length !== 68 || !hex.startsWith("1220")) {
    throw new Error(`${text} is not a CIDv0 document address (Qm…, 46 characters)`);
  }
  return `0x${hex.slice(4)}`;
}

/** A role's name as the role book keeps it: UTF-8, left-aligned in 32 bytes. */
export function roleId(name: string): Hex {
  const raw = new TextEncoder().encode(name.trim());
  if (raw.length === 0) throw new Error("a role needs a name (e.g. steward)");
  if (raw.length > 32) throw new Error(`the role name ${name} is longer than 32 bytes`);
  return stringToHex(name.trim(), { size: 32 });
}

/** Store a document through the app server; its CID (computed by the SDK's store). */
export async function storeDocument(kind: string, title: string, body: string): Promise<string> {
  const answer = await fetch("ipfs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind, title, body }),
  });
  const reply = (await answer.json().catch(() => ({}))) as { cid?: string; error?: string };
  if (!answer.ok || !reply.cid) throw new Error(`the document was not stored: ${reply.error ?? `HTTP ${answer.status}`}`);
  return reply.cid;
}

export interface Draft {
  target: Address;
  value: bigint;
  calldata: Hex;
}

export interface Books {
  clauses: Address;
  roles: Address;
}

export async function booksOf(client: PublicClient, charter: Address): Promise<Books> {
  const read = (kind: number) =>
    client.readContract({ address: charter, abi: charterAbi, functionName: "book", args: [kind] }) as Promise<Address>;
  const [clauses, roles] = await Promise.all([read(constants.Books.CLAUSES), read(constants.Books.ROLES)]);
  return { clauses, roles };
}

export function roleNames(client: PublicClient, books: Books): Promise<readonly Hex[]> {
  return client.readContract({ address: books.roles, abi: roleBookAbi, functionName: "role_names" }) as Promise<readonly Hex[]>;
}

const clauseCall = (books: Books, functionName: string, args: readonly unknown[]): Draft => ({
  target: books.clauses,
  value: 0n,
  calldata: encodeFunctionData({ abi: clauseBookAbi, functionName, args } as any),
});

const roleCall = (books: Books, functionName: string, args: readonly unknown[]): Draft => ({
  target: books.roles,
  value: 0n,
  calldata: encodeFunctionData({ abi: roleBookAbi, functionName, args } as any),
});

export const draft = {
  enact: (b: Books, cid: string, term: bigint) => clauseCall(b, "enact_clause", [cidToBytes32(cid), term]),
  amend: (b: Books, id: bigint, cid: string, term: bigint) => clauseCall(b, "amend_clause", [id, cidToBytes32(cid), term]),
  renew: (b: Books, id: bigint, term: bigint) => clauseCall(b, "renew_clause", [id, term]),
  repeal: (b: Books, id: bigint) => clauseCall(b, "repeal_clause", [id]),
  defineRole: (b: Books, role: string, termSeconds: bigint, maxTerms: bigint) =>
    roleCall(b, "define_role", [roleId(role), termSeconds, maxTerms]),
  appoint: (b: Books, role: string, account: string) => roleCall(b, "appoint", [roleId(role), getAddress(account)]),
  recall: (b: Books, role: string) => roleCall(b, "recall", [roleId(role)]),
};

/**
 * The SDK's fund disbursement action (`fund.actions.disburse`: `disburse_by_owner`): the
 * amount in ETH for an ETH fund, in base units for a token fund (its `token()` says which).
 */
export async function fundPayment(client: PublicClient, fund: string, recipient: string, amount: string, memoCid: string): Promise<Draft> {
  const target = getAddress(fund);
  const token = (await client.readContract({ address: target, abi: solidarityFundAbi, functionName: "token" })) as Address;
  const units = BigInt(token) === 0n ? parseEther(amount.trim()) : BigInt(amount.trim());
  return {
    target,
    value: 0n,
    calldata: encodeFunctionData({
      abi: solidarityFundAbi,
      functionName: "disburse_by_owner",
      args: [getAddress(recipient), units, cidToBytes32(memoCid)],
    }),
  };
}

