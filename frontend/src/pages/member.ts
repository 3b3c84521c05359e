// The member page: membership, delegation in and out, and Leave (always enabled: exit is
// the one right no vote can block).

import { getAddress, isAddress, type Address } from "viem";
import { app, notice, send } from "../app";
import { h } from "../dom";
import { isoTime } from "../format";

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
