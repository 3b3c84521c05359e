// The member page: membership, roles held and when each mandate ends, votes cast,
// delegation in and out, and Leave (always enabled: exit is the one right no vote can block).

import { getAddress, isAddress, type Address } from "viem";
import { app, notice, send } from "../app";
import { SUPPORT } from "../chain";
import { h } from "../dom";
import { isoTime } from "../format";
import { delegatorsOf, votesCast, type VoteCastRow } from "../member_history";
import { roleReader, type Mandate } from "../roles";
import { when } from "../widgets";

const SUPPORT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(SUPPORT).map(([k, v]) => [v, k]));

const roles = () => roleReader(app.client, app.config.charter);

function rolesHeld(held: Mandate[], volunteering: string[]): HTMLElement {
  return h(
    "div",
    { class: "roles" },
    h("h2", {}, "Roles"),
    held.length === 0
      ? h("p", { id: "roles-none", class: "muted" }, "Holds no role now.")
      : h(
          "ul",
          { id: "roles", class: "cards" },
          held.map((m) =>
            h(
              "li",
              { "data-role": m.role, "data-expires": m.expiresAt, "data-started": m.startedAt },
              h("strong", {}, m.role),
              ` · term ${m.consecutiveTerms} of at most ${m.maxConsecutiveTerms} in a row`,
              h("div", {}, "mandate ", when(m.startedAt, m.expiresAt)),
            ),
          ),
        ),
    volunteering.length
      ? h("p", { id: "volunteering" }, `Volunteering for: ${volunteering.join(", ")}`)
      : null,
  );
}

function votesTable(votes: VoteCastRow[]): HTMLElement {
  return h(
    "div",
    { class: "votes" },
    h("h2", {}, "Votes cast"),
    votes.length === 0
      ? h("p", { id: "votes-none", class: "muted" }, "No vote cast yet.")
      : h(
          "table",
          { id: "votes" },
          h("thead", {}, h("tr", {}, h("th", {}, "proposal"), h("th", {}, "support"), h("th", {}, "voices"), h("th", {}, "when"))),
          h(
            "tbody",
            {},
            votes.map((v) =>
              h(
                "tr",
                { "data-proposal": v.proposalId, "data-support": v.support, "data-weight": String(v.weight), "data-block": String(v.block) },
                h("td", {}, h("a", { href: `#/proposal/${v.proposalId}` }, `#${v.proposalId}`)),
                h("td", {}, SUPPORT_NAMES[v.support] ?? String(v.support)),
                h("td", {}, String(v.weight)),
                h("td", {}, h("time", { datetime: new Date(v.time * 1000).toISOString() }, isoTime(v.time)), ` · block ${v.block}`),
              ),
            ),
          ),
        ),
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

export async function memberPage(who: Address | null): Promise<HTMLElement> {
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
  const [member, joinedAt, delegate, carried, held, volunteering, votes, delegators] = await Promise.all([
    app.charter.isMember(who),
    app.charter.joinedAt(who),
    app.charter.delegateOf(who),
    app.charter.carriedVoices(who),
    roles().heldBy(who),
    roles().volunteering(who),
    votesCast(app.client, app.config.charter, who),
    delegatorsOf(app.client, app.config.charter, who),
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
      h("dt", {}, "Delegated to by"),
      h(
        "dd",
        { id: "delegators", "data-count": delegators.length },
        delegators.length === 0
          ? "nobody"
          : h("ul", {}, delegators.map((d) => h("li", { "data-delegator": d }, h("a", { href: `#/member/${d}` }, h("code", {}, d))))),
      ),
    ),
    rolesHeld(held, volunteering),
    votesTable(votes),
    mine || !app.wallet?.account ? delegation() : null,
    mine || !app.wallet?.account ? exit : null,
  );
}
