// The charter's role book, read through the charter's books (as the SDK's RoleBook does):
// each role's terms and latest mandate. The book itself says whether a mandate is in force.

import { hexToString, type Address, type PublicClient } from "viem";
import { charterAbi, constants, roleBookAbi } from "./generated/panarchy";

export interface Mandate {
  role: string;
  holder: Address | null;
  startedAt: number;
  expiresAt: number;
  consecutiveTerms: number;
  endedEarly: boolean;
  inForce: boolean;
  /** The charter seat the mandate was granted to (0: never filled). */
  seat: number;
  termSeconds: number;
  maxConsecutiveTerms: number;
}

/** A role id's text: UTF-8, left-aligned in 32 bytes (the SDK's role_name). */
export function roleName(raw: `0x${string}`): string {
  return hexToString(raw, { size: 32 }).replace(/\0+$/, "");
}

const ZERO = /^0x0{40}$/i;

export class RoleReader {
  private bookAddress: Address | null = null;

  constructor(
    readonly client: PublicClient,
    readonly charter: Address,
  ) {}

  /** The role book's address, asked of the charter once (`book(ROLES)`). */
  async book(): Promise<Address> {
    if (!this.bookAddress) {
      this.bookAddress = (await this.client.readContract({
        address: this.charter,
        abi: charterAbi,
        functionName: "book",
        args: [constants.Books.ROLES],
      })) as Address;
    }
    return this.bookAddress;
  }

  private async read(functionName: string, args: readonly unknown[] = []): Promise<any> {
    return this.client.readContract({
      address: await this.book(),
      abi: roleBookAbi,
      functionName: functionName as any,
      args: args as any,
    });
  }

  /** Every role defined, with its latest mandate (in force or not). */
  async mandates(): Promise<Mandate[]> {
    if (ZERO.test(await this.book())) return [];
    const ids = (await this.read("role_names")) as `0x${string}`[];
    return Promise.all(
      ids.map(async (id) => {
        const [m, seat, terms] = await Promise.all([
          this.read("mandate", [id]),
          this.read("granted_seat", [id]),
          this.read("terms", [id]),
        ]);
        return {
          role: roleName(id),
          holder: ZERO.test(m.holder) ? null : (m.holder as Address),
          startedAt: Number(m.started_at),
          expiresAt: Number(m.expires_at),
          consecutiveTerms: Number(m.consecutive_terms),
          endedEarly: m.ended_early,
          inForce: m.in_force,
          seat: Number(seat),
          termSeconds: Number(terms.term_seconds),
          maxConsecutiveTerms: Number(terms.max_consecutive_terms),
        };
      }),
    );
  }

  /** The mandates `account` holds now. */
  async heldBy(account: Address): Promise<Mandate[]> {
    const all = await this.mandates();
    return all.filter((m) => m.inForce && m.holder?.toLowerCase() === account.toLowerCase());
  }

  /** The roles whose roster `account` is on (volunteering for the next term). */
  async volunteering(account: Address): Promise<string[]> {
    if (ZERO.test(await this.book())) return [];
    const ids = (await this.read("role_names")) as `0x${string}`[];
    const rosters = await Promise.all(ids.map((id) => this.read("roster", [id]) as Promise<Address[]>));
    return ids
      .filter((_, i) => rosters[i].some((a) => a.toLowerCase() === account.toLowerCase()))
      .map(roleName);
  }
}

const readers = new Map<string, RoleReader>();
/** One reader per charter and page load (it keeps the role book's address). */
export function roleReader(client: PublicClient, charter: Address): RoleReader {
  let reader = readers.get(charter);
  if (!reader) readers.set(charter, (reader = new RoleReader(client, charter)));
  return reader;
}
