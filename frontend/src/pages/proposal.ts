// One proposal: its document, its actions in plain words and the stakes each one demands,
// tallies and quorum progress; vote by transaction or by signing a ballot for the relay (the
// EIP-712 fields shown in plain words first).

import type { Address } from "viem";
import { app, connect, rerender, send, tick } from "../app";
import { signAndRelay, SUPPORT_NAMES } from "../ballots";
import { STAKES_NAMES, SUPPORT } from "../chain";
import { documentView } from "../documents";
import { listedLevel, proposalActions, type ProposalAction } from "../proposalActions";
import { h, replace } from "../dom";
import { constants } from "../generated/panarchy";
import { reasonOf, Refusal } from "../wallet";
import { badge, cidText, progress, when } from "../widgets";

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
    rerender();
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

/** The actions in plain words, each with its level from the charter's table, and which of
 * them set the proposal's level (the highest any action needs). */
function actionsSection(level: number, actions: ProposalAction[]): HTMLElement {
  const levelName = (n: number) => STAKES_NAMES[n] ?? String(n);
  const deciding = actions.map((a, i) => (listedLevel(a) === level ? i + 1 : 0)).filter(Boolean);
  return h(
    "section",
    { id: "actions-section", "aria-label": "What it does" },
    h("h2", {}, "What it does"),
    actions.length === 0
      ? h("p", { class: "muted" }, "No actions could be read from the charter's history.")
      : h(
          "ol",
          { id: "actions" },
          actions.map((a, i) =>
            h(
              "li",
              { "data-action": i + 1, "data-level": levelName(listedLevel(a)) },
              h("span", { class: "summary" }, a.summary),
              a.value ? ` (sends ${a.value} wei)` : null,
              " — ",
              h("span", { class: "level" }, a.listed ? levelName(a.listed) : "majority (not in the charter's table)"),
            ),
          ),
        ),
    h(
      "p",
      { id: "stakes-why", "data-level": levelName(level) },
      `Stakes: ${levelName(level)}. `,
      deciding.length
        ? `A proposal needs the highest level any of its actions needs: here action ${deciding.join(", ")} (as the charter's stakes table rates them now).`
        : "A proposal needs the highest level any of its actions needs; the charter's table has changed since this one was made.",
    ),
  );
}

/** Execute: anyone may, once it has passed; the charter judges when (simulated first). */
function executeSection(id: number, state: number, actions: ProposalAction[]): HTMLElement | null {
  if (state !== constants.Proposals.ACTIVE && state !== constants.Proposals.SUCCEEDED) return null;
  const execute = () =>
    void send(`Execute #${id}`, "execute", [
      BigInt(id),
      actions.map((a) => a.target),
      actions.map((a) => a.value),
      actions.map((a) => a.calldata),
    ]);
  return h(
    "section",
    { id: "execute-section", "aria-label": "Execute" },
    h("h2", {}, "Execute"),
    h(
      "p",
      { class: "muted" },
      state === constants.Proposals.SUCCEEDED
        ? "It passed: anyone may carry out its actions now, all of them or none."
        : "Once voting is over and it has passed, anyone may carry out its actions.",
    ),
    h("div", { class: "actions" }, h("button", { type: "button", id: "execute", onclick: execute }, "Execute")),
  );
}

export async function proposalPage(id: number): Promise<HTMLElement> {
  const count = await app.charter.proposalCount();
  if (!(id >= 1 && id <= count)) return h("section", {}, h("h1", {}, `Proposal #${id}`), h("p", {}, "No such proposal."));
  const [p, description, actions] = await Promise.all([
    app.charter.proposal(id),
    app.charter.description(id),
    proposalActions(app.client, app.config.charter, id),
  ]);
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
    actionsSection(p.level, actions),
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
    executeSection(id, p.state, actions),
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
