// A small hand-drawn SVG step chart: a fund's balance after each ledger entry, over time.
// No library (the bundle stays small) and no inline style (the page's CSP forbids it).

import { isoTime } from "./format";

const NS = "http://www.w3.org/2000/svg";

function s(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export interface Point {
  time: number; // seconds
  balance: bigint; // base units
  label: string; // read aloud and shown on hover
}

/**
 * One marker per point (`circle[data-point]`), joined by steps: the balance holds until the
 * next entry, and the last one holds until `now`.
 */
export function balanceChart(points: Point[], now: number, format: (units: bigint) => string): SVGElement {
  const W = 640;
  const H = 220;
  const pad = { left: 70, right: 14, top: 14, bottom: 34 };
  const t0 = points.length ? points[0].time : now;
  const t1 = Math.max(now, points.length ? points[points.length - 1].time : now, t0 + 1);
  const max = points.reduce((m, p) => (p.balance > m ? p.balance : m), 0n);
  const top = max > 0n ? max : 1n;
  const x = (t: number) => pad.left + ((t - t0) / (t1 - t0)) * (W - pad.left - pad.right);
  // Scaled in floating point only for drawing; every number shown is the exact bigint.
  const y = (b: bigint) => H - pad.bottom - (Number((b * 10_000n) / top) / 10_000) * (H - pad.top - pad.bottom);
  let path = "";
  points.forEach((p, i) => {
    path += i === 0 ? `M${x(p.time)},${y(0n)} V${y(p.balance)}` : ` H${x(p.time)} V${y(p.balance)}`;
  });
  if (points.length) path += ` H${x(t1)}`;
  const svg = s(
    "svg",
    {
      viewBox: `0 0 ${W} ${H}`,
      class: "chart",
      role: "img",
      "aria-label": `Balance over time: ${points.length} ledger entries, now ${format(points.at(-1)?.balance ?? 0n)}`,
      "data-points": points.length,
    },
    s("line", { x1: pad.left, y1: y(0n), x2: W - pad.right, y2: y(0n), class: "axis" }),
    s("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: y(0n), class: "axis" }),
    s("text", { x: pad.left - 6, y: y(top) + 4, class: "tick", "text-anchor": "end" }, format(top)),
    s("text", { x: pad.left - 6, y: y(0n) + 4, class: "tick", "text-anchor": "end" }, format(0n)),
    s("text", { x: pad.left, y: H - 10, class: "tick" }, isoTime(t0)),
    s("text", { x: W - pad.right, y: H - 10, class: "tick", "text-anchor": "end" }, isoTime(t1)),
    s("path", { d: path, class: "line" }),
  );
  points.forEach((p, i) =>
    svg.append(
      s(
        "circle",
        { cx: x(p.time), cy: y(p.balance), r: 4, class: "point", "data-point": i, "data-balance": p.balance.toString() },
        s("title", {}, p.label),
      ),
    ),
  );
  return svg;
}
