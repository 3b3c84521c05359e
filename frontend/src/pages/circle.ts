// A savings circle (#/circle/ADDRESS): its members in payout order, its rounds (who received,
// deadlines on the chain's clock), who is behind (its paid_rounds against its current_round),
// what it holds, and Contribute (the circle decides who may).

import { zeroAddress, type Address } from "viem";
import { app, send } from "../app";
import { h } from "../dom";
import { ledger, readCircle, type CircleRound, type CircleView } from "../funds-chain";
import { savingsCircleAbi } from "../generated/panarchy";
import { when } from "../widgets";
import { amountText, ledgerTable, reconciliation } from "./funds";

const ZERO32 = `0x${"0".repeat(64)}` as const;

function roundState(c: CircleView, r: CircleRound): string {
  if (r.recipient) return "settled";
  if (c.dissolved) return "dissolved";
  if (r.index === c.currentRound) return "open";
  return r.index < c.currentRound ? "over" : "future";
}

export async function circlePage(address: Address): Promise<HTMLElement> {
  const c = await readCircle(app.client, address, app.config.factory);
  const entries = await ledger(app.client, address, c.fromBlock);
  const fmt = (x: bigint) => amountText(x, c.token);
  const n = c.rounds.length;
  const behind = c.participants.filter((p) => p.owesRounds > 0);
  const me = app.wallet?.account ? c.participants.find((p) => p.address === app.wallet?.account) : undefined;
  const status = c.dissolved
    ? `dissolved after ${c.settledRounds} of ${n} rounds settled`
    : c.complete
      ? `complete: all ${n} pots paid`
      : `round ${Math.min(c.currentRound, n - 1) + 1} of ${n} · ${c.settledRounds} settled`;
  return h(
    "section",
    {},
    h("h1", {}, "Savings circle ", h("code", {}, address)),
    h("p", {}, h("a", { href: "#/funds" }, "all funds and circles")),
    h(
      "dl",
      { id: "circle-summary" },
      h("dt", {}, "Each round"),
      h("dd", {}, `${fmt(c.contribution)} from every member`),
      h("dt", {}, "Status"),
      h("dd", { id: "circle-status", "data-current": c.currentRound, "data-settled": c.settledRounds }, status),
      h("dt", {}, "Next to receive"),
      h("dd", {}, c.nextRecipient ? h("code", {}, c.nextRecipient) : h("span", { class: "muted" }, "nobody eligible now")),
      h("dt", {}, "Holds"),
      h("dd", { id: "circle-holdings", "data-wei": c.totals.balance.toString() }, fmt(c.totals.balance)),
    ),
    reconciliation(entries, c.totals.balance, c.totals, c.token),
    h("h2", {}, "Members, in payout order"),
    h(
      "ol",
      { id: "order" },
      c.participants.map((p) =>
        h(
          "li",
          { "data-participant": p.address, "data-paid": p.paidRounds, "data-owes": p.owesRounds },
          h("a", { href: `#/member/${p.address}` }, h("code", {}, p.address)),
          ` · paid ${p.paidRounds} round(s)`,
          p.receivedIn !== null ? ` · received round ${p.receivedIn + 1} (${fmt(p.receivedTotal)} in all)` : " · waiting for a pot",
          p.owesRounds > 0 ? h("span", { class: "badge state-defeated" }, `behind by ${p.owesRounds}`) : null,
        ),
      ),
    ),
    h("h2", {}, "Behind"),
    behind.length === 0
      ? h("p", { id: "behind", class: "ok" }, "Nobody is behind.")
      : h(
          "ul",
          { id: "behind" },
          behind.map((p) =>
            h(
              "li",
              { "data-behind": p.address, "data-first": p.paidRounds },
              h("code", {}, p.address),
              ` owes ${p.owesRounds} round(s), the oldest round ${p.paidRounds + 1} (a late payment goes straight to that round's recipient)`,
            ),
          ),
        ),
    h("h2", {}, "Rounds"),
    h(
      "table",
      { id: "rounds" },
      h("thead", {}, h("tr", {}, h("th", {}, "round"), h("th", {}, "open → over"), h("th", {}, "pot"), h("th", {}, "received by"))),
      h(
        "tbody",
        {},
        c.rounds.map((r) =>
          h(
            "tr",
            { "data-round": r.index, "data-state": roundState(c, r), class: r.index === c.currentRound ? "current" : null },
            h("td", {}, `${r.index + 1}`, r.index === c.currentRound && !c.dissolved ? h("span", { class: "badge state-active" }, "now") : null),
            h("td", {}, when(r.opensAt, r.endsAt)),
            h("td", { class: "amount" }, fmt(r.pot)),
            h("td", {}, r.recipient ? h("code", {}, r.recipient) : h("span", { class: "muted" }, roundState(c, r) === "over" ? "over, not settled yet" : "not yet")),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "contribute" },
      h("h2", {}, "Contribute"),
      me
        ? h("p", { id: "circle-me" }, `You are member ${me.position + 1} in the order and have paid ${me.paidRounds} of ${n} rounds.`)
        : h("p", { class: "muted", id: "circle-not-me" }, "Members of the circle pay one contribution a round; the circle checks who may."),
      h(
        "button",
        {
          type: "button",
          id: "circle-contribute",
          onclick: () =>
            void send(`Contribute ${fmt(c.contribution)} to the circle`, "contribute", [ZERO32], { address, abi: savingsCircleAbi }, c.token === zeroAddress ? c.contribution : undefined),
        },
        `Contribute ${fmt(c.contribution)}`,
      ),
    ),
    h("h2", {}, `Ledger (${entries.length})`),
    ledgerTable(entries, c.token, "paid out by"),
  );
}
