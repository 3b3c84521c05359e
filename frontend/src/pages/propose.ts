// Make a proposal: pick actions (clause, role and fund operations), each shown in the plain
// words the proposal page and the CLI will use; write the description (stored through the
// app server, which answers its real CID) or cite a stored one; then `propose`, simulated
// first: a refusal shows the charter's reason and nothing is sent.

import { getAddress, hexToBytes, parseEventLogs, type Hex } from "viem";
import { app, notice, rerender, send } from "../app";
import { describeAction, describeContext } from "../describe";
import { h, replace } from "../dom";
import { charterAbi } from "../generated/panarchy";
import { booksOf, cidToBytes32, draft, fundPayment, roleNames, storeDocument, type Books, type Draft } from "../proposing";
import { reasonOf } from "../wallet";

const KINDS: Record<string, string> = {
  enact: "Enact a clause",
  amend: "Amend a clause",
  renew: "Renew a clause unchanged",
  repeal: "Repeal a clause",
  "define-role": "Define a role",
  appoint: "Appoint to a role",
  recall: "Recall a role",
  pay: "Pay from a fund",
};

interface Pending extends Draft {
  summary: string;
}

/** Kept across re-renders (a new block re-reads every page): the form is built once. */
let form: HTMLElement | null = null;
let formFor = "";
let pending: Pending[] = [];
let made: number | null = null;

/** An element of the form (attached to the page or not yet). */
const part = <T extends Element = HTMLElement>(id: string): T | null => form?.querySelector<T>(`#${id}`) ?? null;
const field = (id: string): string => (part<HTMLInputElement>(id)?.value ?? "").trim();

function input(id: string, label: string, attrs: Record<string, string> = {}): HTMLElement {
  return h("label", { for: id }, label, h("input", { id, name: id, ...attrs }));
}

function textarea(id: string, label: string): HTMLElement {
  return h("label", { for: id }, label, h("textarea", { id, name: id, rows: 4 }));
}

function clausePicker(id: string): HTMLElement {
  return h("label", { for: id }, "Clause in force", h("select", { id, name: id, class: "clause-picker" }));
}

/** A document CID typed in, or the text written next to it stored as a new document. */
async function documentCid(prefix: string, kind: string): Promise<string> {
  const cid = field(`${prefix}-document`);
  if (cid) {
    cidToBytes32(cid); // a readable error for a mistyped CID, before anything else
    return cid;
  }
  const title = field(`${prefix}-title`);
  if (!title) throw new Error("give the document's CID, or write its title and text");
  return storeDocument(kind, title, field(`${prefix}-body`));
}

const term = (id: string): bigint => {
  const text = field(id);
  if (!/^\d+$/.test(text)) throw new Error("a term is a whole number");
  return BigInt(text);
};

async function build(books: Books, kind: string): Promise<Draft> {
  const clause = (id: string) => {
    const text = field(id);
    if (!text) throw new Error("no clause in force to pick");
    return BigInt(text);
  };
  switch (kind) {
    case "enact":
      return draft.enact(books, await documentCid("enact", "clause"), term("enact-term"));
    case "amend":
      return draft.amend(books, clause("amend-clause"), await documentCid("amend", "clause"), term("amend-term"));
    case "renew":
      return draft.renew(books, clause("renew-clause"), term("renew-term"));
    case "repeal":
      return draft.repeal(books, clause("repeal-clause"));
    case "define-role": {
      const days = Number(field("role-term-days"));
      if (!(days > 0)) throw new Error("a term is a number of days");
      return draft.defineRole(books, field("role-name"), BigInt(Math.round(days * 86400)), term("role-max-terms"));
    }
    case "appoint":
      return draft.appoint(books, field("appoint-role"), getAddress(field("appoint-account")));
    case "recall":
      return draft.recall(books, field("recall-role"));
    case "pay": {
      let memo = field("pay-memo");
      if (!memo) memo = await storeDocument("memo", `Payment to ${field("pay-recipient")}`, "");
      return fundPayment(app.client, field("pay-fund"), field("pay-recipient"), field("pay-amount"), memo);
    }
  }
  throw new Error(`unknown action ${kind}`);
}

async function addAction(): Promise<void> {
  const kind = field("action-kind");
  try {
    const books = await booksOf(app.client, app.config.charter);
    const action = await build(books, kind);
    const ctx = await describeContext(app.client, app.config.charter, [action]);
    pending.push({ ...action, summary: describeAction(ctx, action.target, action.calldata) });
    made = null;
    paintPending();
  } catch (err) {
    notice(`That action cannot be added: ${reasonOf(err)}`, "error");
  }
}

async function propose(): Promise<void> {
  if (pending.length === 0) {
    notice("Add at least one action first.", "error");
    return;
  }
  let description: string;
  try {
    description = field("p-cid") || (field("p-title") ? await storeDocument("proposal", field("p-title"), field("p-body")) : "");
    if (!description) throw new Error("write a title (and text) for the description, or give a stored document's CID");
    cidToBytes32(description);
  } catch (err) {
    notice(`Not proposed: ${reasonOf(err)}`, "error");
    return;
  }
  const actions = pending;
  const hash = await send("Propose", "propose", [
    actions.map((a) => a.target),
    actions.map((a) => a.value),
    actions.map((a) => a.calldata),
    cidToBytes32(description),
  ]);
  if (!hash) return;
  const receipt = await app.client.getTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: charterAbi, eventName: "ProposalDocument", logs: receipt.logs });
  made = created ? Number((created.args as { proposalId: bigint }).proposalId) : null;
  pending = [];
  paintPending();
  rerender();
}

function paintPending(): void {
  const box = part("pending-box");
  if (!box) return;
  replace(
    box,
    pending.length
      ? h(
          "ol",
          { id: "pending" },
          pending.map((a, i) =>
            h(
              "li",
              { "data-action": i + 1 },
              h("span", { class: "summary" }, a.summary),
              " ",
              h("button", { type: "button", class: "remove", onclick: () => (pending.splice(i, 1), paintPending()) }, "Remove"),
            ),
          ),
        )
      : h("p", { class: "muted" }, "No actions yet."),
    made
      ? h("p", { id: "made", class: "notice ok", role: "status" }, `Proposal #${made} is open: `, h("a", { id: "made-link", href: `#/proposal/${made}` }, `read it and vote`))
      : null,
  );
}

function showKind(): void {
  const kind = field("action-kind");
  form?.querySelectorAll<HTMLElement>("fieldset[data-kind]").forEach((f) => (f.hidden = f.dataset.kind !== kind));
}

function buildForm(): HTMLElement {
  const fieldset = (kind: string, ...children: HTMLElement[]) =>
    h("fieldset", { "data-kind": kind, hidden: kind !== "enact" }, h("legend", {}, KINDS[kind]), ...children);
  const clauseText = (prefix: string) => [
    input(`${prefix}-document`, "Document CID (stored already)", { placeholder: "Qm…", autocomplete: "off" }),
    h("p", { class: "muted" }, "or write it:"),
    input(`${prefix}-title`, "Title"),
    textarea(`${prefix}-body`, "Text"),
  ];
  const cycles = (id: string) => input(id, "Term (revision cycles)", { type: "number", min: "1", value: "1" });
  return h(
    "section",
    { id: "propose-page" },
    h("h1", {}, "Propose"),
    h("p", { class: "muted" }, "Build the actions, describe why, and propose: the charter decides whether you may, and the stakes your actions need."),
    h(
      "section",
      { "aria-label": "Actions" },
      h("h2", {}, "Actions"),
      h(
        "label",
        { for: "action-kind" },
        "Action",
        h(
          "select",
          { id: "action-kind", name: "action-kind", onchange: showKind },
          Object.entries(KINDS).map(([value, label]) => h("option", { value }, label)),
        ),
      ),
      fieldset("enact", ...clauseText("enact"), cycles("enact-term")),
      fieldset("amend", clausePicker("amend-clause"), ...clauseText("amend"), cycles("amend-term")),
      fieldset("renew", clausePicker("renew-clause"), cycles("renew-term")),
      fieldset("repeal", clausePicker("repeal-clause")),
      fieldset(
        "define-role",
        input("role-name", "Role name", { list: "role-list" }),
        input("role-term-days", "Term (days)", { type: "number", min: "0", step: "any", value: "30" }),
        input("role-max-terms", "At most this many terms in a row", { type: "number", min: "1", value: "2" }),
      ),
      fieldset("appoint", input("appoint-role", "Role", { list: "role-list" }), input("appoint-account", "Member's address", { placeholder: "0x…" })),
      fieldset("recall", input("recall-role", "Role", { list: "role-list" })),
      fieldset(
        "pay",
        input("pay-fund", "Fund address", { placeholder: "0x…" }),
        input("pay-recipient", "Pay to", { placeholder: "0x…" }),
        input("pay-amount", "Amount (ETH for an ETH fund; base units for a token fund)"),
        input("pay-memo", "Memo document CID (blank: a memo is stored for you)", { placeholder: "Qm…" }),
      ),
      h("datalist", { id: "role-list" }),
      h("div", { class: "actions" }, h("button", { type: "button", id: "add-action", onclick: () => void addAction() }, "Add this action")),
      h("div", { id: "pending-box", "aria-live": "polite" }),
    ),
    h(
      "section",
      { "aria-label": "Description" },
      h("h2", {}, "Why"),
      input("p-title", "Title"),
      textarea("p-body", "Text"),
      input("p-cid", "or a stored document's CID", { placeholder: "Qm…", autocomplete: "off" }),
    ),
    h("div", { class: "actions" }, h("button", { type: "button", id: "propose", onclick: () => void propose() }, "Propose")),
  );
}

/** Refresh what the chain decides (the clauses in force, the roles) without losing typing. */
async function refresh(): Promise<void> {
  const [clauses, books] = await Promise.all([app.charter.clauses(), booksOf(app.client, app.config.charter)]);
  const inForce = clauses.filter((c) => c.inForce);
  form?.querySelectorAll<HTMLSelectElement>("select.clause-picker").forEach((select) => {
    const chosen = select.value;
    replace(select, inForce.map((c) => h("option", { value: c.id }, `Clause #${c.id} (version ${c.version})`)));
    if (inForce.some((c) => String(c.id) === chosen)) select.value = chosen;
  });
  const roles = await roleNames(app.client, books);
  const names = roles.map((r: Hex) => new TextDecoder().decode(hexToBytes(r).filter((b) => b !== 0)));
  replace(part("role-list")!, names.map((n) => h("option", { value: n })));
}

export async function proposePage(): Promise<HTMLElement> {
  if (!form || formFor !== app.config.charter) {
    form = buildForm();
    formFor = app.config.charter;
    pending = [];
    made = null;
  }
  await refresh();
  paintPending();
  showKind();
  return form;
}
