// The funds pages: the charter's funds and circles (#/funds, found from the factory's
// events), and one fund (#/fund/ADDRESS): its balance, its ledger and whether it reconciles
// with the chain, the balance over time, the steward and their period's limit, contribute.

import { formatEther, parseEther, zeroAddress, type Address } from "viem";
import { app, notice, send } from "../app";
import { balanceChart } from "../chart";
import { h } from "../dom";
import { isoTime } from "../format";
import { ledger, madeFor, readCircle, readFund, type Entry } from "../funds-chain";
import { solidarityFundAbi } from "../generated/panarchy";
import { cidText, when } from "../widgets";

const ZERO32 = `0x${"0".repeat(64)}` as const;

/** An amount for people: ETH, or a token's base units (its decimals are not read here). */
export function amountText(units: bigint, token: Address): string {
  return token === zeroAddress ? `${formatEther(units)} ETH` : `${units} units of token ${token}`;
}

function who(address: Address): HTMLElement {
  return h("a", { href: `#/member/${address}` }, h("code", {}, address));
}

export async function fundsPage(): Promise<HTMLElement> {
  const factory = app.config.factory;
  if (!factory) {
    return h(
      "section",
      {},
      h("h1", {}, "Funds and circles"),
      h("p", { class: "notice error", role: "alert" }, "config.json names no factory: the app cannot list this charter's funds. Open one at #/fund/ADDRESS."),
    );
  }
  const [funds, circles] = await Promise.all([
    madeFor(app.client, factory, app.config.charter, "FundCreated"),
    madeFor(app.client, factory, app.config.charter, "CircleCreated"),
  ]);
  const [fundViews, circleViews] = await Promise.all([
    Promise.all(funds.map((f) => readFund(app.client, f.address, factory, null))),
    Promise.all(circles.map((c) => readCircle(app.client, c.address, factory))),
  ]);
  return h(
    "section",
    {},
    h("h1", {}, "Funds and circles"),
    h("h2", {}, "Solidarity funds"),
    funds.length === 0
      ? h("p", { class: "muted" }, "This charter has no fund yet.")
      : h(
          "table",
          { id: "funds" },
          h("thead", {}, h("tr", {}, h("th", {}, "fund"), h("th", {}, "balance"), h("th", {}, "steward"))),
          h(
            "tbody",
            {},
            fundViews.map((f) =>
              h(
                "tr",
                { "data-fund": f.address },
                h("td", {}, h("a", { href: `#/fund/${f.address}` }, h("code", {}, f.address))),
                h("td", {}, amountText(f.totals.balance, f.token)),
                h("td", {}, f.steward ? who(f.steward) : h("span", { class: "muted" }, "nobody")),
              ),
            ),
          ),
        ),
    h("h2", {}, "Savings circles"),
    circles.length === 0
      ? h("p", { class: "muted" }, "This charter has no savings circle yet.")
      : h(
          "table",
          { id: "circles" },
          h("thead", {}, h("tr", {}, h("th", {}, "circle"), h("th", {}, "each round"), h("th", {}, "round"), h("th", {}, "behind"))),
          h(
            "tbody",
            {},
            circleViews.map((c) =>
              h(
                "tr",
                { "data-circle": c.address },
                h("td", {}, h("a", { href: `#/circle/${c.address}` }, h("code", {}, c.address))),
                h("td", {}, amountText(c.contribution, c.token)),
                h("td", {}, c.dissolved ? "dissolved" : c.complete ? "complete" : `${Math.min(c.currentRound, c.rounds.length - 1) + 1} of ${c.rounds.length}`),
                h("td", {}, String(c.participants.filter((p) => p.owesRounds > 0).length)),
              ),
            ),
          ),
        ),
  );
}

function sums(entries: Entry[]): { contributed: bigint; disbursed: bigint; owed: bigint } {
  let contributed = 0n;
  let disbursed = 0n;
  let owed = 0n;
  for (const e of entries) {
    if (e.kind === "contribution") contributed += e.amount;
    else if (e.kind === "disbursement") disbursed += e.amount;
    else if (e.kind === "deferred") owed += e.amount;
    else owed -= e.amount;
  }
  return { contributed, disbursed, owed };
}

/** contributed − disbursed (+ owed) from the ledger's rows, against the chain's balance:
 * a mismatch is said out loud, never smoothed over. */
export function reconciliation(entries: Entry[], chainBalance: bigint, onChain: { contributed: bigint; disbursed: bigint }, token: Address): HTMLElement {
  const s = sums(entries);
  const expected = s.contributed - s.disbursed + s.owed;
  const fmt = (x: bigint) => amountText(x, token);
  const totalsAgree = s.contributed === onChain.contributed && s.disbursed === onChain.disbursed;
  const ok = expected === chainBalance && totalsAgree;
  const problems: string[] = [];
  if (expected !== chainBalance) {
    problems.push(
      `The chain holds ${fmt(chainBalance)} but the ledger says ${fmt(expected)} (${chainBalance > expected ? "unaccounted" : "missing"}: ${fmt(chainBalance > expected ? chainBalance - expected : expected - chainBalance)}).`,
    );
  }
  if (!totalsAgree) {
    problems.push(`The fund's own totals (contributed ${fmt(onChain.contributed)}, disbursed ${fmt(onChain.disbursed)}) differ from its events.`);
  }
  return h(
    "div",
    { id: "reconcile", "data-reconciles": String(ok), "data-expected": expected.toString(), "data-balance": chainBalance.toString() },
    h(
      "p",
      {},
      "Contributed ",
      h("strong", { id: "sum-contributed", "data-wei": s.contributed.toString() }, fmt(s.contributed)),
      " − disbursed ",
      h("strong", { id: "sum-disbursed", "data-wei": s.disbursed.toString() }, fmt(s.disbursed)),
      s.owed ? [" + owed to recipients ", h("strong", {}, fmt(s.owed))] : null,
      " = ",
      h("strong", {}, fmt(expected)),
      "; the balance on chain is ",
      h("strong", {}, fmt(chainBalance)),
      ". ",
    ),
    ok
      ? h("p", { class: "ok", id: "reconciles" }, "✓ The ledger reconciles with the chain.")
      : h("p", { class: "doc-warning", role: "alert", id: "does-not-reconcile" }, "✗ THE LEDGER DOES NOT RECONCILE. ", problems.join(" ")),
  );
}

export function ledgerTable(entries: Entry[], token: Address, byLabel = "decided by"): HTMLElement {
  if (entries.length === 0) return h("p", { class: "muted", id: "ledger" }, "No contribution or payment yet.");
  const kindText: Record<string, string> = { contribution: "contribution", disbursement: "disbursement", deferred: "refused (owed)", claim: "claimed" };
  return h(
    "table",
    { id: "ledger" },
    h("thead", {}, h("tr", {}, h("th", {}, "block time"), h("th", {}, "kind"), h("th", {}, "who"), h("th", {}, "amount"), h("th", {}, "memo"), h("th", {}, "balance after"))),
    h(
      "tbody",
      {},
      entries.map((e) =>
        h(
          "tr",
          { "data-entry": `${e.block}:${e.logIndex}`, "data-kind": e.kind, "data-party": e.party, "data-amount": e.amount.toString(), "data-block": e.block.toString() },
          h("td", {}, h("time", { datetime: new Date(e.timestamp * 1000).toISOString() }, isoTime(e.timestamp)), h("br"), h("span", { class: "muted" }, `block ${e.block}`)),
          h("td", {}, kindText[e.kind]),
          h(
            "td",
            {},
            e.kind === "contribution" ? (e.party === zeroAddress ? "unaccounted money, booked" : who(e.party)) : ["to ", who(e.party)],
            e.by ? h("div", { class: "muted" }, `${byLabel} `, h("code", {}, e.by)) : null,
          ),
          h("td", { class: "amount" }, `${e.kind === "contribution" ? "+" : e.kind === "deferred" ? "" : "−"}${amountText(e.amount, token)}`),
          h("td", {}, cidText(e.memo)),
          h("td", { class: "amount" }, amountText(e.balance, token)),
        ),
      ),
    ),
  );
}

// What was typed survives the page's re-render on every new block.
let draft = "";

function contributeForm(fund: Address, token: Address): HTMLElement {
  const input = h("input", {
    id: "contribute-amount",
    type: "text",
    inputmode: "decimal",
    placeholder: "0.1",
    autocomplete: "off",
    "aria-label": "Amount to contribute (ETH)",
    oninput: () => (draft = input.value),
  }) as HTMLInputElement;
  input.value = draft;
  const contribute = () => {
    const text = input.value.trim();
    let wei: bigint;
    try {
      if (!/^\d*\.?\d*$/.test(text) || text === "" || text === ".") throw new Error();
      wei = parseEther(text);
    } catch {
      notice(`Contribute ${text || "…"}: not an amount in ETH (e.g. 0.1).`, "error");
      return;
    }
    // Zero is sent to the fund's judgement like any amount: it is the contract's to refuse.
    void send(`Contribute ${text} ETH`, "contribute", [wei, ZERO32], { address: fund, abi: solidarityFundAbi }, wei);
  };
  if (token !== zeroAddress) {
    return h("p", { class: "muted" }, "This fund holds a token: contribute with the SDK or the CLI (the app sends ETH only).");
  }
  return h(
    "div",
    { class: "contribute" },
    h("h2", {}, "Contribute"),
    h(
      "div",
      { class: "actions", role: "group", "aria-label": "Contribute" },
      h("label", { for: "contribute-amount" }, "Amount (ETH)"),
      input,
      h("button", { type: "button", id: "contribute", onclick: contribute }, "Contribute"),
    ),
  );
}

export async function fundPage(address: Address): Promise<HTMLElement> {
  const account = app.wallet?.account ?? null;
  const f = await readFund(app.client, address, app.config.factory, account);
  const entries = await ledger(app.client, address, f.fromBlock);
  const fmt = (x: bigint) => amountText(x, f.token);
  const left = f.limits.stewardLimit > f.stewardSpent ? f.limits.stewardLimit - f.stewardSpent : 0n;
  const points = entries.map((e) => ({
    time: e.timestamp,
    balance: e.balance,
    label: `${isoTime(e.timestamp)}: ${e.kind} of ${fmt(e.amount)}, balance ${fmt(e.balance)}`,
  }));
  return h(
    "section",
    {},
    h("h1", {}, "Solidarity fund ", h("code", {}, address)),
    h("p", {}, "Owned by ", h("code", {}, f.owner), f.owner === app.config.charter ? " (this charter)" : " (another polity)", " · ", h("a", { href: "#/funds" }, "all funds and circles")),
    h("p", { class: "balance" }, "Balance ", h("strong", { id: "fund-balance", "data-wei": f.totals.balance.toString() }, fmt(f.totals.balance))),
    reconciliation(entries, f.totals.balance, f.totals, f.token),
    h("h2", {}, "Balance over time"),
    h("figure", { id: "balance-chart" }, balanceChart(points, app.clock.now(), fmt)),
    h("h2", {}, "Steward"),
    h(
      "dl",
      { id: "steward" },
      h("dt", {}, "Steward"),
      h(
        "dd",
        { id: "steward-holder", "data-steward": f.steward ?? "" },
        f.steward ? [who(f.steward), " · mandate ends ", when(null, f.stewardMandateEnd ?? 0)] : "nobody holds the role now: only the charter can pay, by proposal",
      ),
      h("dt", {}, `Period ${f.period.index}`),
      h("dd", { id: "fund-period" }, when(f.period.start, f.period.end)),
      h("dt", {}, "Steward's limit this period"),
      h("dd", { id: "steward-limit", "data-wei": f.limits.stewardLimit.toString() }, fmt(f.limits.stewardLimit)),
      h("dt", {}, "Paid by stewards this period"),
      h("dd", { id: "steward-spent", "data-wei": f.stewardSpent.toString() }, fmt(f.stewardSpent)),
      h("dt", {}, "Left of the limit"),
      h("dd", { id: "steward-left", "data-wei": left.toString() }, fmt(left), f.available < left ? h("span", { class: "muted" }, ` (the fund has only ${fmt(f.available)} to pay)`) : null),
      h("dt", {}, "Contribution cap"),
      h(
        "dd",
        { id: "contribution-cap" },
        `${fmt(f.limits.cap)} per contributor per period`,
        f.limits.membersOnly ? " · members only" : " · open to anyone",
        f.givenThisPeriod !== null
          ? h("div", { class: "muted", id: "given-this-period", "data-wei": f.givenThisPeriod.toString() }, `you gave ${fmt(f.givenThisPeriod)} this period`)
          : null,
      ),
    ),
    contributeForm(address, f.token),
    h("h2", {}, `Ledger (${entries.length})`),
    ledgerTable(entries, f.token),
  );
}
