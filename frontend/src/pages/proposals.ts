// The proposals list: state badges, stakes, tallies and time left on the chain's clock.

import { app } from "../app";
import { STAKES_NAMES, type Proposal } from "../chain";
import { h } from "../dom";
import { constants } from "../generated/panarchy";
import { badge, timer } from "../widgets";

function timeLeft(p: Proposal): HTMLElement | string {
  if (p.state === constants.Proposals.ACTIVE) return h("span", {}, "voting ends ", timer(p.voteEnd));
  if (p.state === constants.Proposals.SUCCEEDED) return h("span", {}, "execution closes ", timer(p.executionDeadline));
  return "—";
}

export async function proposalsPage(): Promise<HTMLElement> {
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
