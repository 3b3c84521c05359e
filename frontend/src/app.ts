// The app's shared state and its frame: the wallet box, the wrong-chain banner, notices,
// the chain clock's polling, and `send` (every write is simulated first; the contract decides).

import type { Abi, Address, Hex, PublicClient } from "viem";
import type { CharterReader, ChainClock, Config } from "./chain";
import { byId, h, replace } from "./dom";
import { shortAddress } from "./format";
import { charterAbi } from "./generated/panarchy";
import { discover, reasonOf, Refusal, Wallet } from "./wallet";
import { paintTimers } from "./widgets";

export interface App {
  config: Config;
  client: PublicClient;
  charter: CharterReader;
  clock: ChainClock;
  wallet: Wallet | null;
}

/** Set once by main.ts before the first render. */
export let app: App;
export function setApp(value: App): void {
  app = value;
}

let renderHook: () => Promise<void> = async () => {};
/** Re-read the current page (the router registers itself here). */
export function onRerender(hook: () => Promise<void>): void {
  renderHook = hook;
}
export function rerender(): void {
  void renderHook();
}

// --- the frame: header, wallet, banner, notices -----------------------------------------

export function notice(text: string, kind: "info" | "error" | "ok" = "info"): void {
  replace(byId("notice"), h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text));
}

export function clearNotice(): void {
  replace(byId("notice"));
}

export function renderWallet(): void {
  const box = byId("wallet");
  const wallet = app.wallet;
  if (wallet?.account) {
    replace(
      box,
      h("a", { href: `#/member/${wallet.account}`, id: "account", title: wallet.account }, shortAddress(wallet.account)),
    );
  } else {
    const found = discover();
    replace(
      box,
      h(
        "button",
        { id: "connect", type: "button", onclick: () => void connect() },
        found.length ? `Connect ${found[0].name}` : "Connect wallet",
      ),
    );
  }
  const banner = byId("banner");
  if (wallet?.wrongChain) {
    replace(
      banner,
      h(
        "div",
        { class: "banner", role: "alert", id: "wrong-chain" },
        `Your wallet is on chain ${wallet.chainId}; this charter lives on chain ${app.config.chainId}. `,
        h("button", { type: "button", id: "switch-chain", onclick: () => void switchChain() }, "Switch network"),
      ),
    );
  } else {
    replace(banner);
  }
}

export async function connect(): Promise<Wallet | null> {
  const found = discover();
  if (found.length === 0) {
    notice("No wallet found in this browser: everything stays readable; install a wallet to vote.", "error");
    return null;
  }
  const wallet = new Wallet(app.config, found[0]);
  try {
    await wallet.connect();
  } catch (err) {
    notice(`The wallet did not connect: ${reasonOf(err)}`, "error");
    return null;
  }
  app.wallet = wallet;
  wallet.onChange(() => {
    renderWallet();
    rerender();
  });
  renderWallet();
  rerender();
  return wallet;
}

export async function switchChain(): Promise<void> {
  try {
    await app.wallet?.switchChain();
  } catch (err) {
    notice(`The wallet did not switch: ${reasonOf(err)}`, "error");
  }
}

/** Simulate, then send a call (the charter's by default, with no ETH unless `value`) from the
 * connected wallet; report the outcome. The transaction's hash once it is mined, or null when
 * it was refused or not sent. */
export async function send(
  what: string,
  functionName: string,
  args: readonly unknown[],
  contract: { address: Address; abi: Abi } = { address: app.config.charter, abi: charterAbi },
  value?: bigint,
): Promise<Hex | null> {
  const wallet = app.wallet?.account ? app.wallet : await connect();
  if (!wallet) return null;
  notice(`${what}: checking with the ${contract.address === app.config.charter ? "charter" : "contract"}…`);
  try {
    const hash = await wallet.write(app.client, { ...contract, functionName, args, ...(value ? { value } : {}) });
    notice(`${what}: done (transaction ${hash}).`, "ok");
    await tick();
    rerender();
    return hash;
  } catch (err) {
    const reason = err instanceof Refusal ? err.reason : reasonOf(err);
    notice(`${what}: refused — ${reason}`, "error");
    return null;
  }
}

/** Poll the latest block; on a new one, move the clock and re-read the page. */
export async function tick(): Promise<void> {
  try {
    const block = await app.client.getBlock({ blockTag: "latest" });
    if (app.clock.observe(block.number, block.timestamp)) {
      paintTimers();
      rerender();
    }
    byId("node-status").textContent = `block ${block.number}`;
  } catch (err) {
    byId("node-status").textContent = `node unreachable: ${reasonOf(err)}`;
  }
}
