// Documents (the concord, clauses, proposal descriptions): fetched from the app's document
// route (or the configured gateway), their CID recomputed here from the bytes received, and
// shown as text only when it matches the chain's. Whoever serves the bytes is not trusted.

import { bytes32ToCid, matchesDigest } from "./cid";
import { h } from "./dom";

type Digest = `0x${string}`;

export type Loaded =
  | { status: "verified"; cid: string; title: string | null; kind: string | null; body: string }
  | { status: "mismatch"; cid: string }
  | { status: "unavailable"; cid: string; reason: string };

const cache = new Map<string, Promise<Loaded>>();

function documentUrl(gateway: string | null, cid: string): string {
  return gateway ? `${gateway.replace(/\/$/, "")}/ipfs/${cid}` : `ipfs/${cid}`;
}

async function fetchDocument(gateway: string | null, digest: Digest, cid: string): Promise<Loaded> {
  let bytes: Uint8Array;
  try {
    const answer = await fetch(documentUrl(gateway, cid), { cache: "no-store" });
    if (!answer.ok) return { status: "unavailable", cid, reason: `HTTP ${answer.status}` };
    bytes = new Uint8Array(await answer.arrayBuffer());
  } catch (err) {
    return { status: "unavailable", cid, reason: String(err instanceof Error ? err.message : err) };
  }
  if (!matchesDigest(bytes, digest)) return { status: "mismatch", cid };
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  try {
    const doc = JSON.parse(text);
    if (doc && typeof doc.title === "string" && typeof doc.body === "string") {
      return { status: "verified", cid, title: doc.title, kind: typeof doc.kind === "string" ? doc.kind : null, body: doc.body };
    }
  } catch {
    // not a structured document: shown as plain text
  }
  return { status: "verified", cid, title: null, kind: null, body: text };
}

/** Fetch and verify the document the chain names by `digest` (verified answers are cached). */
export function loadDocument(gateway: string | null, digest: Digest): Promise<Loaded> | null {
  const cid = bytes32ToCid(digest);
  if (!cid) return null;
  const key = digest.toLowerCase();
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = fetchDocument(gateway, digest, cid);
    cache.set(key, loaded);
    void loaded.then((l) => {
      if (l.status === "unavailable") cache.delete(key); // try again on the next render
    });
  }
  return loaded;
}

/** The document as an element: its title and body as text, or a warning. */
export async function documentView(gateway: string | null, digest: Digest): Promise<HTMLElement> {
  const loading = loadDocument(gateway, digest);
  if (!loading) return h("div", { class: "document", "data-verified": "none" }, h("span", { class: "muted" }, "no document"));
  const doc = await loading;
  switch (doc.status) {
    case "mismatch":
      return h(
        "div",
        { class: "document", "data-verified": "false", "data-cid": doc.cid },
        h("p", { class: "doc-warning", role: "alert" }, `This document does not match its CID — not trusted. What was served for ${doc.cid} is not shown.`),
      );
    case "unavailable":
      return h(
        "div",
        { class: "document", "data-verified": "unavailable", "data-cid": doc.cid },
        h("p", { class: "muted" }, `Document ${doc.cid} could not be fetched (${doc.reason}).`),
      );
    default:
      return h(
        "article",
        { class: "document", "data-verified": "true", "data-cid": doc.cid },
        doc.title !== null ? h("h3", { class: "doc-title" }, doc.title) : null,
        h("p", { class: "doc-meta muted" }, doc.kind ? `${doc.kind} · ` : "", "verified against its CID"),
        h("div", { class: "doc-body" }, doc.body),
      );
  }
}
