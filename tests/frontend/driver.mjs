// Drive Debian's chromium through playwright-core for the browser tests.
//
// A JSON-lines server: each line on stdin is a command {"id", "cmd", ...}; each answer on
// stdout is {"id", "ok": true, "value"} or {"id", "ok": false, "error"}. pytest keeps one
// driver (one browser) per session and opens a fresh page per test.
//
// `open` injects an EIP-1193 provider, announced through EIP-6963, that forwards every
// request to anvil, where the dev accounts are unlocked: "connect" and "vote" are real
// transactions on the node. Its chain id can be set wrong, to test the banner.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { chromium } = createRequire(join(repo, "frontend", "package.json"))("playwright-core");

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

const browser = await chromium.launch({
  executablePath: process.env.PANARCHY_CHROMIUM || "/usr/bin/chromium",
  args: ARGS,
  headless: true,
});

// Runs in the page before any of its scripts.
function injectWallet({ rpcUrl, account, chainId, legacy }) {
  let currentChain = chainId;
  const listeners = {};
  const emit = (event, value) => (listeners[event] || []).forEach((fn) => fn(value));
  let nextId = 1;
  const provider = {
    isPanarchyTestWallet: true,
    async request({ method, params }) {
      window.__walletCalls = (window.__walletCalls || []).concat([method]);
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return account ? [account] : [];
        case "eth_chainId":
          return "0x" + currentChain.toString(16);
        case "wallet_switchEthereumChain":
          currentChain = parseInt(params[0].chainId, 16);
          emit("chainChanged", "0x" + currentChain.toString(16));
          return null;
      }
      const answer = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params || [] }),
      });
      const body = await answer.json();
      if (body.error) {
        const err = new Error(body.error.message);
        err.code = body.error.code;
        err.data = body.error.data;
        throw err;
      }
      return body.result;
    },
    on(event, fn) {
      (listeners[event] = listeners[event] || []).push(fn);
    },
    removeListener(event, fn) {
      listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
    },
  };
  const info = Object.freeze({
    uuid: "6a4c2e5e-3b0d-4c8e-9f7a-panarchytest".slice(0, 36),
    name: "Anvil test wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
    rdns: "org.panarchy.testwallet",
  });
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
    );
  if (legacy) {
    window.ethereum = provider; // an old wallet: no EIP-6963 announcement
    return;
  }
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

let page = null;
let context = null;
const console_ = [];

const commands = {
  async open({ url, wallet, viewport }) {
    if (context) await context.close();
    context = await browser.newContext({ viewport: viewport || { width: 1100, height: 900 } });
    page = await context.newPage();
    console_.length = 0;
    page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => console_.push(`pageerror: ${e.message}`));
    if (wallet) await page.addInitScript(injectWallet, wallet);
    await page.goto(url);
    return true;
  },
  async reload() {
    await page.reload(); // the same context: localStorage survives, as between two visits
    return true;
  },
  async goto({ hash }) {
    await page.evaluate((h) => (location.hash = h), hash);
    return true;
  },
  async wait({ selector, text, state, timeout }) {
    const locator = page.locator(selector).first();
    if (text !== undefined && text !== null) {
      await locator.filter({ hasText: new RegExp(text) }).waitFor({ state: "attached", timeout: timeout || 10000 });
    } else {
      await locator.waitFor({ state: state || "attached", timeout: timeout || 10000 });
    }
    return true;
  },
  async text({ selector }) {
    return page.locator(selector).first().textContent({ timeout: 10000 });
  },
  async texts({ selector }) {
    return page.locator(selector).allTextContents();
  },
  async attr({ selector, name }) {
    return page.locator(selector).first().getAttribute(name, { timeout: 10000 });
  },
  async enabled({ selector }) {
    return page.locator(selector).first().isEnabled({ timeout: 10000 });
  },
  async click({ selector }) {
    await page.locator(selector).first().click({ timeout: 10000 });
    return true;
  },
  async fill({ selector, value }) {
    await page.locator(selector).first().fill(value, { timeout: 10000 });
    return true;
  },
  async select({ selector, value }) {
    await page.locator(selector).first().selectOption(value, { timeout: 10000 });
    return true;
  },
  async press({ key }) {
    await page.keyboard.press(key);
    return page.evaluate(() => {
      const el = document.activeElement;
      return el ? { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || "").trim() } : null;
    });
  },
  async evaluate({ expression }) {
    return page.evaluate(expression);
  },
  async screenshot({ path }) {
    await page.screenshot({ path, fullPage: true });
    return path;
  },
  async console() {
    return console_.slice();
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { id, cmd, ...args } = JSON.parse(line);
  let answer;
  try {
    if (!commands[cmd]) throw new Error(`unknown command ${cmd}`);
    answer = { id, ok: true, value: (await commands[cmd](args)) ?? null };
  } catch (err) {
    answer = { id, ok: false, error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
