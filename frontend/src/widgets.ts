// Small pieces every page uses: countdowns on the chain's clock, time spans, state badges,
// CIDs, progress bars.

import { app } from "./app";
import { STATE_NAMES } from "./chain";
import { bytes32ToCid } from "./cid";
import { h } from "./dom";
import { countdown, isoTime } from "./format";

/** An element whose text counts down to `deadline` on the chain's clock. */
export function timer(deadline: number): HTMLElement {
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

export function paintTimers(): void {
  document.querySelectorAll<HTMLElement>("[data-deadline]").forEach(paintTimer);
  const clock = document.getElementById("chain-time");
  if (clock) {
    clock.textContent = isoTime(app.clock.now());
    clock.dataset.now = String(app.clock.now());
  }
}

export function when(start: number | null, end: number): HTMLElement {
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

export function badge(state: number): HTMLElement {
  const name = STATE_NAMES[state] ?? `state ${state}`;
  return h("span", { class: `badge state-${name}`, "data-state": name }, name);
}

export function cidText(digest: `0x${string}`): HTMLElement {
  const cid = bytes32ToCid(digest);
  if (!cid) return h("span", { class: "muted" }, "none");
  const gateway = app.config.ipfsGateway;
  return gateway
    ? h("a", { href: `${gateway.replace(/\/$/, "")}/ipfs/${cid}`, class: "cid", rel: "noopener" }, cid)
    : h("code", { class: "cid" }, cid);
}

export function progress(label: string, value: bigint, of: bigint, id: string): HTMLElement {
  const max = of > 0n ? Number(of) : 1;
  return h(
    "div",
    { class: "progress" },
    h("label", { for: id }, `${label}: ${value} of ${of}`),
    h("progress", { id, max, value: Math.min(Number(value), max) }),
  );
}
