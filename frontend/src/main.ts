// The Panarchy web app: read a charter from the chain, vote and leave from a wallet.
// Hash routes: #/charter, #/proposals, #/proposal/N, #/member[/ADDRESS].

import { getAddress, isAddress, type Address, type PublicClient } from "viem";
import {
  CharterReader,
  ChainClock,
  loadConfig,
  makeClient,
  STAKES_NAMES,
  STATE_NAMES,
  SUPPORT,
  type Config,
  type Proposal,
} from "./chain";
import { bytes32ToCid } from "./cid";
import { signAndRelay, SUPPORT_NAMES } from "./ballots";
import { documentView } from "./documents";
import { byId, h, replace } from "./dom";
import { countdown, isoTime, shortAddress } from "./format";
import { charterAbi, constants } from "./generated/panarchy";
import { discover, onWalletsChanged, reasonOf, Refusal, Wallet } from "./wallet";

interface App {
  config: Config;
  client: PublicClient;
  charter: CharterReader;
  clock: ChainClock;
  wallet: Wallet | null;
}

let app: App;
let renderToken = 0;

/** A signed ballot under way (kept across re-renders of the proposal page). */
interface BallotFlow {
  proposalId: number;
  support: number;
  voter: Address;
  charterName: string;
  stage: string;
  text: string;
}
let ballot: BallotFlow | null = null;

// --- the frame: header, wallet, banner, notices -----------------------------------------

function notice(text: string, kind: "info" | "error" | "ok" = "info"): void {
  replace(byId("notice"), h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text));
}

function clearNotice(): void {
  replace(byId("notice"));
}

function renderWallet(): void {
  const box = byId("wallet");
  const wallet = app.wallet;
  if (wallet?.account) {
    replace(
      box,
      h("a", { href: `#/member/${wallet.account}`, id: "account", title: wallet.account }, shortAddress(wallet.account)),
    );
  } else {
    const found = discover();
    replace(
      box,
      h(
        "button",
        { id: "connect", type: "button", onclick: () => void connect() },
        found.length ? `Connect ${found[0].name}` : "Connect wallet",
      ),
    );
  }
  const banner = byId("banner");
  if (wallet?.wrongChain) {
    replace(
      banner,
      h(
        "div",
        { class: "banner", role: "alert", id: "wrong-chain" },
        `Your wallet is on chain ${wallet.chainId}; this charter lives on chain ${app.config.chainId}. `,
        h("button", { type: "button", id: "switch-chain", onclick: () => void switchChain() }, "Switch network"),
      ),
    );
  } else {
    replace(banner);
  }
}

async function connect(): Promise<Wallet | null> {
  const found = discover();
  if (found.length === 0) {
    notice("No wallet found in this browser: everything stays readable; install a wallet to vote.", "error");
    return null;
  }
  const wallet = new Wallet(app.config, found[0]);
  try {
    await wallet.connect();
  } catch (err) {
    notice(`The wallet did not connect: ${reasonOf(err)}`, "error");
    return null;
  }
  app.wallet = wallet;
  wallet.onChange(() => {
    renderWallet();
    void render();
  });
  renderWallet();
  void render();
  return wallet;
}

async function switchChain(): Promise<void> {
  try {
    await app.wallet?.switchChain();
  } catch (err) {
    notice(`The wallet did not switch: ${reasonOf(err)}`, "error");
  }
}

/** Simulate, then send a charter call from the connected wallet; report the outcome. */
async function send(what: string, functionName: string, args: readonly unknown[]): Promise<boolean> {
  const wallet = app.wallet?.account ? app.wallet : await connect();
  if (!wallet) return false;
  notice(`${what}: checking with the charter…`);
  try {
    const hash = await wallet.write(app.client, { address: app.config.charter, abi: charterAbi, functionName, args });
    notice(`${what}: done (transaction ${hash}).`, "ok");
    await tick();
    void render();
    return true;
  } catch (err) {
    const reason = err instanceof Refusal ? err.reason : reasonOf(err);
    notice(`${what}: refused — ${reason}`, "error");
    return false;
  }
}

// --- signed ballots -------------------------------------------------------------------------

async function reviewBallot(proposalId: number, support: number): Promise<void> {
  const wallet = app.wallet?.account ? app.wallet : await connect();
  if (!wallet?.account) return;
  const charterName = await app.charter.name();
  ballot = { proposalId, support, voter: wallet.account, charterName, stage: "review", text: "" };
  paintBallot();
}

async function signBallot(): Promise<void> {
  const flow = ballot;
  const wallet = app.wallet;
  if (!flow || !wallet) return;
  const fields = {
    chainId: app.config.chainId,
    charter: app.config.charter,
    proposalId: flow.proposalId,
    support: flow.support,
    voter: flow.voter,
  };
  const progress = (stage: string, text: string) => {
    flow.stage = stage;
    flow.text = text;
    paintBallot();
  };
  try {
    await signAndRelay(app.config, app.client, wallet, fields, progress);
    await tick();
    void render();
  } catch (err) {
    progress("refused", `Not sent — ${err instanceof Refusal ? err.reason : reasonOf(err)}`);
  }
}

function ballotContent(proposalId: number): HTMLElement | null {
  const flow = ballot;
  if (!flow || flow.proposalId !== proposalId) return null;
  const support = SUPPORT_NAMES[flow.support] ?? String(flow.support);
  const fields = h(
    "dl",
    { id: "ballot-fields" },
    h("dt", {}, "Charter"),
    h("dd", { "data-field": "charter" }, `${flow.charterName} `, h("code", {}, app.config.charter), ` on chain ${app.config.chainId}`),
    h("dt", {}, "Proposal"),
    h("dd", { "data-field": "proposal" }, `#${flow.proposalId}`),
    h("dt", {}, "Support"),
    h("dd", { "data-field": "support" }, support),
    h("dt", {}, "Voter"),
    h("dd", { "data-field": "voter" }, h("code", {}, flow.voter)),
  );
  if (flow.stage === "review") {
    return h(
      "div",
      { id: "ballot-review", class: "ballot" },
      h("p", {}, `You are about to sign this ballot — a vote ${support} proposal #${flow.proposalId}. Signing costs no gas; the relay puts it on chain.`),
      fields,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", id: "ballot-sign", onclick: () => void signBallot() }, "Sign with wallet"),
        h("button", { type: "button", id: "ballot-cancel", onclick: () => ((ballot = null), paintBallot()) }, "Cancel"),
      ),
    );
  }
  const kind = flow.stage === "confirmed" ? "ok" : flow.stage === "refused" || flow.stage === "rejected" ? "error" : "info";
  return h(
    "div",
    { id: "ballot-review", class: "ballot" },
    fields,
    h("p", { id: "ballot-status", class: `notice ${kind}`, "data-stage": flow.stage, role: kind === "error" ? "alert" : "status" }, flow.text),
  );
}

function paintBallot(): void {
  const box = document.getElementById("ballot-box");
  if (box) replace(box, ballotContent(Number(box.dataset.proposal)));
}

// --- time ---------------------------------------------------------------------------------

/** An element whose text counts down to `deadline` on the chain's clock. */
function timer(deadline: number): HTMLElement {
  const el = h("span", { class: "countdown", "data-deadline": deadline });
  paintTimer(el);
  return el;
}

function paintTimer(el: HTMLElement): void {
  const deadline = Number(el.dataset.deadline);
  const now = app.clock.now();
  el.dataset.left = String(deadline - now);
  el.textContent = countdown(deadline, now);
}

function paintTimers(): void {
  document.querySelectorAll<HTMLElement>("[data-deadline]").forEach(paintTimer);
  const clock = document.getElementById("chain-time");
  if (clock) {
    clock.textContent = isoTime(app.clock.now());
    clock.dataset.now = String(app.clock.now());
  }
}

function when(start: number | null, end: number): HTMLElement {
  return h(
    "span",
    { class: "when" },
    start !== null ? h("time", { datetime: new Date(start * 1000).toISOString() }, isoTime(start)) : null,
    start !== null ? " → " : "",
    h("time", { datetime: new Date(end * 1000).toISOString() }, isoTime(end)),
    " · ",
    timer(end),
  );
}

/** Poll the latest block; on a new one, move the clock and re-read the page. */
async function tick(): Promise<void> {
  try {
    const block = await app.client.getBlock({ blockTag: "latest" });
    if (app.clock.observe(block.number, block.timestamp)) {
      paintTimers();
      void render();
    }
    byId("node-status").textContent = `block ${block.number}`;
  } catch (err) {
    byId("node-status").textContent = `node unreachable: ${reasonOf(err)}`;
  }
}

// --- pages ----------------------------------------------------------------------------------

function badge(state: number): HTMLElement {
  const name = STATE_NAMES[state] ?? `state ${state}`;
  return h("span", { class: `badge state-${name}`, "data-state": name }, name);
}

function cidText(digest: `0x${string}`): HTMLElement {
  const cid = bytes32ToCid(digest);
  if (!cid) return h("span", { class: "muted" }, "none");
  const gateway = app.config.ipfsGateway;
  return gateway
    ? h("a", { href: `${gateway.replace(/\/$/, "")}/ipfs/${cid}`, class: "cid", rel: "noopener" }, cid)
    : h("code", { class: "cid" }, cid);
}

function timeLeft(p: Proposal): HTMLElement | string {
  if (p.state === constants.Proposals.ACTIVE) return h("span", {}, "voting ends ", timer(p.voteEnd));
  if (p.state === constants.Proposals.SUCCEEDED) return h("span", {}, "execution closes ", timer(p.executionDeadline));
  return "—";
}

async function charterPage(): Promise<HTMLElement> {
  const c = app.charter;
  const [name, concord, members, clauses, cycle] = await Promise.all([
    c.name(),
    c.concord(),
    c.members(),
    c.clauses(),
    c.cycle(),
  ]);
  const inForce = clauses.filter((k) => k.inForce);
  const cycleEnd = cycle.start + cycle.period;
  const [concordDoc, ...clauseDocs] = await Promise.all([
    documentView(app.config.ipfsGateway ?? null, concord),
    ...inForce.map((k) => documentView(app.config.ipfsGateway ?? null, k.document)),
  ]);
  return h(
    "section",
    { "aria-labelledby": "charter-name" },
    h("h1", { id: "charter-name" }, name),
    h("p", {}, "Charter ", h("code", {}, app.config.charter), " · concord ", cidText(concord)),
    h("section", { id: "concord", "aria-label": "Concord" }, concordDoc),
    h("h2", {}, "Clauses in force"),
    inForce.length === 0
      ? h("p", { class: "muted" }, "No clause is in force.")
      : h(
          "ul",
          { id: "clauses", class: "cards" },
          inForce.map((k, i) =>
            h(
              "li",
              { class: "clause", "data-clause": k.id },
              h("strong", {}, `Clause #${k.id}`),
              ` v${k.version}`,
              k.renewals ? ` · renewed ${k.renewals}×` : "",
              h("div", {}, "document ", cidText(k.document)),
              clauseDocs[i],
              h("div", {}, when(k.enactedAt, k.expiresAt)),
            ),
          ),
        ),
    h("h2", {}, "Revision cycle"),
    h(
      "p",
      { id: "cycle" },
      `Cycle ${cycle.number}: ${cycle.revisions} revision(s), quota ${cycle.quota} — `,
      h("span", { class: cycle.met ? "ok" : "warn" }, cycle.met ? "met" : "not met yet"),
      h("br"),
      when(cycle.start, cycleEnd),
    ),
    h("h2", {}, `Members (${members.length})`),
    h(
      "ul",
      { id: "members" },
      members.map((m) =>
        h("li", {}, h("a", { href: `#/member/${m.account}` }, h("code", {}, m.account)), ` · joined ${isoTime(m.joinedAt)}`),
      ),
    ),
  );
}

async function proposalsPage(): Promise<HTMLElement> {
  const proposals = await app.charter.proposals();
  return h(
    "section",
    {},
    h("h1", {}, "Proposals"),
    proposals.length === 0
      ? h("p", { class: "muted" }, "No proposal yet.")
      : h(
          "table",
          { id: "proposals" },
          h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "state"), h("th", {}, "stakes"), h("th", {}, "for / against / abstain"), h("th", {}, "time left"))),
          h(
            "tbody",
            {},
            proposals.map((p) =>
              h(
                "tr",
                { "data-proposal": p.id },
                h("td", {}, h("a", { href: `#/proposal/${p.id}` }, `#${p.id}`)),
                h("td", {}, badge(p.state)),
                h("td", {}, STAKES_NAMES[p.level] ?? String(p.level)),
                h("td", {}, `${p.for} / ${p.against} / ${p.abstain}`),
                h("td", {}, timeLeft(p)),
              ),
            ),
          ),
        ),
  );
}

function progress(label: string, value: bigint, of: bigint, id: string): HTMLElement {
  const max = of > 0n ? Number(of) : 1;
  return h(
    "div",
    { class: "progress" },
    h("label", { for: id }, `${label}: ${value} of ${of}`),
    h("progress", { id, max, value: Math.min(Number(value), max) }),
  );
}

async function proposalPage(id: number): Promise<HTMLElement> {
  const count = await app.charter.proposalCount();
  if (!(id >= 1 && id <= count)) return h("section", {}, h("h1", {}, `Proposal #${id}`), h("p", {}, "No such proposal."));
  const [p, description] = await Promise.all([app.charter.proposal(id), app.charter.description(id)]);
  const descriptionDoc = description ? await documentView(app.config.ipfsGateway ?? null, description) : null;
  const account = app.wallet?.account;
  const voted = account ? await app.charter.hasVoted(id, account) : null;
  const turnout = p.for + p.against + p.abstain;
  const consent = p.level === constants.Proposals.CONSENT;
  const vote = (label: string, support: number) =>
    h(
      "button",
      { type: "button", class: "vote", "data-support": label, onclick: () => void send(`Vote ${label} on #${id}`, "cast_vote", [BigInt(id), support]) },
      `Vote ${label}`,
    );
  const sign = (label: string, support: number) =>
    h(
      "button",
      { type: "button", class: "sign", "data-ballot": label, onclick: () => void reviewBallot(id, support) },
      `Sign a ballot ${label}`,
    );
  return h(
    "section",
    {},
    h("h1", {}, `Proposal #${id} `, badge(p.state)),
    h("p", {}, "Proposed by ", h("code", {}, p.proposer), ` · stakes: ${STAKES_NAMES[p.level] ?? p.level}`),
    h(
      "section",
      { id: "description", "aria-label": "Description" },
      description ? h("p", {}, "Description ", cidText(description)) : h("p", { class: "muted" }, "No description."),
      descriptionDoc,
    ),
    h("p", {}, "Voting ends ", when(null, p.voteEnd)),
    p.state === constants.Proposals.SUCCEEDED ? h("p", {}, "Execution closes ", when(null, p.executionDeadline)) : null,
    h(
      "dl",
      { id: "tally" },
      h("dt", {}, "For"),
      h("dd", { "data-tally": "for" }, String(p.for)),
      h("dt", {}, "Against"),
      h("dd", { "data-tally": "against" }, String(p.against)),
      h("dt", {}, "Abstain"),
      h("dd", { "data-tally": "abstain" }, String(p.abstain)),
    ),
    consent
      ? progress("Objections (at most allowed)", p.against, p.bar, "quorum")
      : progress("Turnout toward quorum", turnout, p.bar, "quorum"),
    h("h2", {}, "Vote"),
    voted ? h("p", { id: "voted" }, "You have voted on this proposal.") : null,
    h(
      "div",
      { class: "actions", role: "group", "aria-label": "Vote" },
      vote("for", SUPPORT.for),
      vote("against", SUPPORT.against),
      vote("abstain", SUPPORT.abstain),
    ),
    h("p", { class: "muted" }, "The charter decides: each vote is checked against it before the wallet is asked."),
    h("h2", {}, "Sign a ballot"),
    h("p", { class: "muted" }, "No gas: sign the ballot in your wallet and the ballot relay puts it on chain."),
    h(
      "div",
      { class: "actions", role: "group", "aria-label": "Sign a ballot" },
      sign("for", SUPPORT.for),
      sign("against", SUPPORT.against),
      sign("abstain", SUPPORT.abstain),
    ),
    h("div", { id: "ballot-box", "data-proposal": id }, ballotContent(id)),
  );
}

/** Delegate to…: hand one's voice to another member, or take it back; the charter decides. */
function delegation(): HTMLElement {
  const input = h("input", {
    id: "delegate-to",
    type: "text",
    placeholder: "0x… a member's address",
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": "Delegate to (address)",
  }) as HTMLInputElement;
  const delegateTo = () => {
    const to = input.value.trim();
    if (!isAddress(to, { strict: false })) {
      notice(`Delegate to ${to || "…"}: not an address (0x and 40 hex digits).`, "error");
      return;
    }
    void send(`Delegate to ${getAddress(to)}`, "delegate", [getAddress(to)]);
  };
  return h(
    "div",
    { class: "delegation" },
    h("h2", {}, "Delegation"),
    h("p", {}, "Hand your voice to another member (revocable at any moment; your own vote always overrides it)."),
    h(
      "div",
      { class: "actions", role: "group", "aria-label": "Delegation" },
      input,
      h("button", { type: "button", id: "delegate", onclick: delegateTo }, "Delegate to…"),
      h(
        "button",
        { type: "button", id: "undelegate", onclick: () => void send("Revoke delegation", "undelegate", []) },
        "Revoke delegation",
      ),
    ),
  );
}

async function memberPage(who: Address | null): Promise<HTMLElement> {
  const leave = h(
    "button",
    { type: "button", id: "leave", class: "danger", onclick: () => void send("Leave the charter", "leave", []) },
    "Leave",
  );
  const exit = h(
    "div",
    { class: "exit" },
    h("h2", {}, "Leave"),
    h("p", {}, "Leaving is always possible; no vote can block it."),
    leave,
  );
  if (!who) {
    return h("section", {}, h("h1", {}, "Member"), h("p", {}, "Connect a wallet to see your membership."), exit);
  }
  const [member, joinedAt, delegate, carried] = await Promise.all([
    app.charter.isMember(who),
    app.charter.joinedAt(who),
    app.charter.delegateOf(who),
    app.charter.carriedVoices(who),
  ]);
  const mine = app.wallet?.account === who;
  const delegated = !/^0x0{40}$/i.test(delegate);
  return h(
    "section",
    {},
    h("h1", {}, "Member ", h("code", {}, who)),
    h(
      "dl",
      { id: "membership" },
      h("dt", {}, "Member"),
      h("dd", { "data-member": String(member) }, member ? `yes, since ${isoTime(joinedAt)}` : "no"),
      h("dt", {}, "Delegates to"),
      h("dd", { id: "delegate-of", "data-delegate": delegated ? delegate : "" }, delegated ? h("code", {}, delegate) : "nobody"),
      h("dt", {}, "Carries voices"),
      h("dd", { id: "carried-voices", "data-carried": carried }, String(carried)),
    ),
    mine || !app.wallet?.account ? delegation() : null,
    mine || !app.wallet?.account ? exit : null,
  );
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const route = location.hash.replace(/^#\/?/, "").split("/");
  let page: Promise<HTMLElement>;
  switch (route[0]) {
    case "proposals":
      page = proposalsPage();
      break;
    case "proposal":
      page = proposalPage(Number(route[1]));
      break;
    case "member":
      page = memberPage(route[1] && isAddress(route[1]) ? getAddress(route[1]) : (app.wallet?.account ?? null));
      break;
    default:
      page = charterPage();
  }
  document.querySelectorAll("nav a").forEach((a) => {
    const here = (a.getAttribute("href") ?? "").slice(2) === (route[0] || "charter");
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  try {
    const el = await page;
    if (token !== renderToken) return;
    replace(byId("page"), el);
    byId("page").dataset.rendered = String(app.clock.blockNumber);
  } catch (err) {
    if (token !== renderToken) return;
    replace(byId("page"), h("p", { class: "notice error", role: "alert" }, `Could not read the charter: ${reasonOf(err)}`));
  }
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = await loadConfig();
  } catch (err) {
    replace(byId("page"), h("p", { class: "notice error", role: "alert" }, String(err)));
    return;
  }
  const client = makeClient(config);
  app = { config, client, charter: new CharterReader(client, config.charter), clock: new ChainClock(), wallet: null };
  window.addEventListener("hashchange", () => {
    clearNotice();
    void render();
  });
  onWalletsChanged(renderWallet);
  renderWallet();
  await tick();
  await render();
  setInterval(paintTimers, 1000);
  setInterval(() => void tick(), 1000);
}

void start();
