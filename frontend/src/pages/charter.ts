// The charter page: name, concord and clauses in force (each verified against its CID),
// the revision cycle and its quota, the members.

import { app } from "../app";
import { documentView } from "../documents";
import { h } from "../dom";
import { isoTime } from "../format";
import { cidText, when } from "../widgets";

export async function charterPage(): Promise<HTMLElement> {
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
