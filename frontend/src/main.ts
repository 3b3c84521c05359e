// The Panarchy web app: read a charter from the chain, vote, delegate and leave from a wallet.
// Hash routes: #/charter, #/proposals, #/proposal/N, #/propose, #/member[/ADDRESS],
// #/needs[/ADDRESS], #/funds, #/fund/ADDRESS, #/circle/ADDRESS. Each page is one module under
// pages/; the frame and shared state are in app.ts.

import { getAddress, isAddress } from "viem";
import { app, clearNotice, onRerender, renderWallet, setApp, tick } from "./app";
import { CharterReader, ChainClock, loadConfig, makeClient, type Config } from "./chain";
import { byId, h, replace } from "./dom";
import { charterPage } from "./pages/charter";
import { circlePage } from "./pages/circle";
import { fundPage, fundsPage } from "./pages/funds";
import { memberPage } from "./pages/member";
import { needsPage, paintNeedsCount } from "./pages/needs";
import { proposalPage } from "./pages/proposal";
import { proposePage } from "./pages/propose";
import { proposalsPage } from "./pages/proposals";
import { onWalletsChanged, reasonOf } from "./wallet";
import { paintTimers } from "./widgets";

let renderToken = 0;
let shownRoute = "";

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** What the person has typed or chosen on the page, and where the focus is: a re-read on a
 * new block (every ~12 s on a public chain) must not wipe a half-typed address or amount. */
function typedIn(): { values: Map<string, string>; focus: string | null } {
  const values = new Map<string, string>();
  byId("page")
    .querySelectorAll<Field>("input[id], textarea[id], select[id]")
    .forEach((f) => {
      if (f.type !== "checkbox" && f.type !== "radio" && f.value !== "") values.set(f.id, f.value);
    });
  const active = document.activeElement;
  return { values, focus: active && byId("page").contains(active) && active.id ? active.id : null };
}

function restore(kept: { values: Map<string, string>; focus: string | null }): void {
  kept.values.forEach((value, id) => {
    const f = document.getElementById(id) as Field | null;
    if (f && "value" in f && (f.value === "" || f.tagName === "SELECT")) f.value = value;
  });
  if (kept.focus) document.getElementById(kept.focus)?.focus();
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
    case "propose":
      page = proposePage();
      break;
    case "member":
      page = memberPage(route[1] && isAddress(route[1]) ? getAddress(route[1]) : (app.wallet?.account ?? null));
      break;
    case "needs":
      page = needsPage(route[1] && isAddress(route[1]) ? getAddress(route[1]) : (app.wallet?.account ?? null));
      break;
    case "funds":
      page = fundsPage();
      break;
    case "fund":
    case "circle":
      if (!route[1] || !isAddress(route[1])) page = Promise.resolve(h("p", { class: "notice error", role: "alert" }, `Not an address: ${route[1] ?? ""}`));
      else page = route[0] === "fund" ? fundPage(getAddress(route[1])) : circlePage(getAddress(route[1]));
      break;
    default:
      page = charterPage();
  }
  document.querySelectorAll("nav a").forEach((a) => {
    const section = route[0] === "fund" || route[0] === "circle" ? "funds" : route[0] || "charter";
    const here = (a.getAttribute("href") ?? "").slice(2) === section;
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  try {
    const el = await page;
    if (token !== renderToken) return;
    const kept = route.join("/") === shownRoute ? typedIn() : null;
    replace(byId("page"), el);
    shownRoute = route.join("/");
    if (kept) restore(kept);
    byId("page").dataset.rendered = String(app.clock.blockNumber);
    void paintNeedsCount();
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
  setApp({ config, client, charter: new CharterReader(client, config.charter), clock: new ChainClock(), wallet: null });
  onRerender(render);
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
