// "What needs me": derived in the browser from the chain alone (no server). Proposals open
// that I have not voted on, proposals closing within a day, clauses lapsing this revision
// cycle, my mandates ending this cycle. Whether I may still vote is the charter's word (a
// simulated cast_vote), never re-judged here. "New since last seen": the block and time of
// my previous visit are kept per account in localStorage.

import type { Address } from "viem";
import { app } from "../app";
import { type Clause, type Proposal } from "../chain";
import { h } from "../dom";
import { charterAbi, constants } from "../generated/panarchy";
import { roleReader, type Mandate } from "../roles";
import { reasonOf } from "../wallet";
import { cidText, timer, when } from "../widgets";

const DAY = 86400;

interface LastSeen {
  block: string;
  time: number;
}

interface OpenProposal {
  proposal: Proposal;
  createdBlock: bigint;
  voted: boolean;
  /** Null when the charter would take my vote now; else its reason. */
  refusal: string | null;
}

export interface Needs {
  account: Address;
  now: number;
  cycleEnd: number;
  cycleNumber: number;
  toVote: OpenProposal[];
  closingSoon: OpenProposal[];
  lapsing: Clause[];
  mandates: Mandate[];
  cannotVote: OpenProposal[];
}

export function needsCount(n: Needs): number {
  const proposals = new Set([...n.toVote, ...n.closingSoon].map((p) => p.proposal.id));
  return proposals.size + n.lapsing.length + n.mandates.length;
}

/** When each proposal was created (its ProposalDocument event's block). */
async function createdBlocks(): Promise<Map<number, bigint>> {
  const logs = await app.client.getContractEvents({
    address: app.config.charter,
    abi: charterAbi,
    eventName: "ProposalDocument",
    fromBlock: 0n,
  });
  return new Map(logs.map((l) => [Number((l as any).args.proposalId), l.blockNumber as bigint]));
}

/** The charter's answer to "may `account` vote on `id` now?": null (yes) or its reason. */
async function voteRefusal(id: number, account: Address): Promise<string | null> {
  try {
    await app.client.simulateContract({
      address: app.config.charter,
      abi: charterAbi,
      functionName: "cast_vote",
      args: [BigInt(id), constants.Proposals.VOTE_ABSTAIN],
      account,
    });
    return null;
  } catch (err) {
    return reasonOf(err);
  }
}

export async function collectNeeds(account: Address): Promise<Needs> {
  const [proposals, created, clauses, cycle, mandates] = await Promise.all([
    app.charter.proposals(),
    createdBlocks(),
    app.charter.clauses(),
    app.charter.cycle(),
    roleReader(app.client, app.config.charter).heldBy(account),
  ]);
  const now = app.clock.now();
  const cycleEnd = cycle.start + cycle.period;
  const active = proposals.filter((p) => p.state === constants.Proposals.ACTIVE);
  const open: OpenProposal[] = await Promise.all(
    active.map(async (p) => {
      const voted = await app.charter.hasVoted(p.id, account);
      return {
        proposal: p,
        createdBlock: created.get(p.id) ?? 0n,
        voted,
        refusal: voted ? null : await voteRefusal(p.id, account),
      };
    }),
  );
  return {
    account,
    now,
    cycleEnd,
    cycleNumber: cycle.number,
    toVote: open.filter((o) => !o.voted && o.refusal === null),
    cannotVote: open.filter((o) => !o.voted && o.refusal !== null),
    closingSoon: open.filter((o) => o.proposal.voteEnd - now <= DAY),
    lapsing: clauses.filter((k) => k.inForce && k.expiresAt <= cycleEnd),
    mandates: mandates.filter((m) => m.expiresAt <= cycleEnd),
  };
}

// --- last seen ---------------------------------------------------------------------------

function seenKey(account: Address): string {
  return `panarchy:last-seen:${app.config.chainId}:${app.config.charter.toLowerCase()}:${account.toLowerCase()}`;
}

function loadSeen(account: Address): LastSeen | null {
  try {
    const raw = localStorage.getItem(seenKey(account));
    const seen = raw ? (JSON.parse(raw) as LastSeen) : null;
    return seen && typeof seen.block === "string" && typeof seen.time === "number" ? seen : null;
  } catch {
    return null; // storage blocked or a corrupt entry: treat as a first visit
  }
}

function saveSeen(account: Address, seen: LastSeen): void {
  try {
    localStorage.setItem(seenKey(account), JSON.stringify(seen));
  } catch {
    // storage blocked: nothing is marked new next time, which is harmless
  }
}

// This page load's visit per account: the previous visit is read once and the current one
// stored at once, so re-renders on each block keep the same "new" marks.
const visits = new Map<string, LastSeen | null>();

function previousVisit(account: Address): LastSeen | null {
  const key = account.toLowerCase();
  if (!visits.has(key)) {
    visits.set(key, loadSeen(account));
    saveSeen(account, { block: String(app.clock.blockNumber), time: app.clock.now() });
  }
  return visits.get(key) ?? null;
}

// --- the page ----------------------------------------------------------------------------

function newMark(isNew: boolean): HTMLElement | null {
  return isNew ? h("span", { class: "badge new", "data-new": "true" }, "new") : null;
}

function proposalItem(o: OpenProposal, seen: LastSeen | null, extra: HTMLElement | string | null): HTMLElement {
  const isNew = seen !== null && o.createdBlock > BigInt(seen.block);
  return h(
    "li",
    { "data-proposal": o.proposal.id, class: isNew ? "new" : null, "data-new": String(isNew) },
    h("a", { href: `#/proposal/${o.proposal.id}` }, `Proposal #${o.proposal.id}`),
    " ",
    newMark(isNew),
    " · voting ends ",
    timer(o.proposal.voteEnd),
    extra ? h("div", {}, extra) : null,
  );
}

function list(id: string, title: string, empty: string, items: HTMLElement[]): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    items.length === 0 ? h("p", { class: "muted", id: `${id}-none` }, empty) : h("ul", { id, class: "cards" }, items),
  );
}

export async function needsPage(who: Address | null): Promise<HTMLElement> {
  if (!who) {
    return h("section", {}, h("h1", {}, "What needs me"), h("p", {}, "Connect a wallet to see what needs you."));
  }
  const n = await collectNeeds(who);
  const seen = previousVisit(who);
  const sinceTime = (t: number) => seen !== null && t > seen.time;
  return h(
    "section",
    {},
    h("h1", {}, "What needs ", h("code", {}, who)),
    h(
      "p",
      { id: "last-seen", "data-block": seen?.block ?? "" },
      seen
        ? `Marked new: what appeared since your last visit (block ${seen.block}).`
        : "First visit from this browser: from now on, what appears is marked new.",
    ),
    list(
      "to-vote",
      "Open proposals you have not voted on",
      "Nothing to vote on.",
      n.toVote.map((o) => proposalItem(o, seen, null)),
    ),
    list(
      "closing-soon",
      "Closing within a day",
      "No vote closes within a day.",
      n.closingSoon.map((o) => proposalItem(o, seen, o.voted ? "you have voted" : "you have not voted")),
    ),
    list(
      "lapsing",
      `Clauses lapsing this revision cycle (cycle ${n.cycleNumber})`,
      "No clause lapses this cycle.",
      n.lapsing.map((k) =>
        h(
          "li",
          { "data-clause": k.id, "data-new": String(sinceTime(k.enactedAt)) },
          h("strong", {}, `Clause #${k.id}`),
          " ",
          newMark(sinceTime(k.enactedAt)),
          " ",
          cidText(k.document),
          h("div", {}, when(k.enactedAt, k.expiresAt)),
        ),
      ),
    ),
    list(
      "mandates-ending",
      "Your mandates ending this cycle",
      "No mandate of yours ends this cycle.",
      n.mandates.map((m) =>
        h(
          "li",
          { "data-role": m.role, "data-new": String(sinceTime(m.startedAt)) },
          h("strong", {}, m.role),
          " ",
          newMark(sinceTime(m.startedAt)),
          h("div", {}, when(m.startedAt, m.expiresAt)),
        ),
      ),
    ),
    n.cannotVote.length
      ? list(
          "cannot-vote",
          "Open, but the charter would not take your vote",
          "",
          n.cannotVote.map((o) => proposalItem(o, seen, o.refusal)),
        )
      : null,
  );
}

/** The count on the nav link (the connected account's needs), refreshed on each render. */
export async function paintNeedsCount(): Promise<void> {
  const badge = document.getElementById("needs-count");
  const account = app.wallet?.account;
  if (!badge) return;
  if (!account) {
    badge.hidden = true;
    return;
  }
  try {
    const count = needsCount(await collectNeeds(account));
    badge.textContent = String(count);
    badge.dataset.count = String(count);
    badge.hidden = count === 0;
  } catch {
    badge.hidden = true; // the page itself reports read failures
  }
}
