// The write side: a wallet found through EIP-6963 (mipd), else window.ethereum (EIP-1193).
// Every write is simulated on the node first; a refusal is the contract's own reason.

import { createStore, type EIP6963ProviderDetail } from "mipd";
import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  custom,
  getAddress,
  type Abi,
  type Address,
  type EIP1193Provider,
  type PublicClient,
  type WalletClient,
} from "viem";
import { makeChain, type Config } from "./chain";

export interface WalletChoice {
  name: string;
  rdns: string;
  provider: EIP1193Provider;
}

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

const store = typeof window !== "undefined" ? createStore() : null;

/** The wallets the page can see: those announced through EIP-6963, else window.ethereum. */
export function discover(): WalletChoice[] {
  const announced = (store?.getProviders() ?? []).map((d: EIP6963ProviderDetail) => ({
    name: d.info.name,
    rdns: d.info.rdns,
    provider: d.provider as unknown as EIP1193Provider,
  }));
  if (announced.length > 0) return announced;
  if (window.ethereum) return [{ name: "Browser wallet", rdns: "window.ethereum", provider: window.ethereum }];
  return [];
}

export function onWalletsChanged(listener: () => void): void {
  store?.subscribe(listener);
}

export class Wallet {
  account: Address | null = null;
  chainId: number | null = null;
  private client: WalletClient | null = null;
  private listeners: (() => void)[] = [];

  constructor(
    readonly config: Config,
    readonly choice: WalletChoice,
  ) {
    const provider = choice.provider;
    provider.on?.("accountsChanged", (accounts: readonly string[]) => {
      this.setAccount(accounts[0]);
      this.changed();
    });
    provider.on?.("chainChanged", (id: string) => {
      this.chainId = Number(id);
      this.changed();
    });
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private setAccount(account: string | undefined): void {
    this.account = account ? getAddress(account) : null;
    this.client = this.account
      ? createWalletClient({
          account: this.account,
          chain: makeChain(this.config),
          transport: custom(this.choice.provider),
        })
      : null;
  }

  async connect(): Promise<void> {
    const accounts = (await this.choice.provider.request({ method: "eth_requestAccounts" })) as string[];
    this.setAccount(accounts[0]);
    this.chainId = Number(await this.choice.provider.request({ method: "eth_chainId" }));
    this.changed();
  }

  get wrongChain(): boolean {
    return this.account !== null && this.chainId !== null && this.chainId !== this.config.chainId;
  }

  async switchChain(): Promise<void> {
    const chainId = `0x${this.config.chainId.toString(16)}`;
    try {
      await this.choice.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (err) {
      if ((err as { code?: number }).code !== 4902) throw err;
      await this.choice.provider.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId,
            chainName: this.config.chainName ?? `chain ${this.config.chainId}`,
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: [this.config.rpcUrl],
          },
        ],
      });
    }
    this.chainId = Number(await this.choice.provider.request({ method: "eth_chainId" }));
    this.changed();
  }

  /**
   * Simulate the call on the node as this account; if the contract would accept it, send it
   * through the wallet and wait for its receipt. Throws a `Refusal` with the contract's
   * reason when the simulation (or the mined transaction) reverts.
   */
  async write(
    reader: PublicClient,
    call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
  ): Promise<`0x${string}`> {
    if (!this.account || !this.client) throw new Refusal("connect a wallet first");
    if (this.wrongChain) throw new Refusal(`switch the wallet to chain ${this.config.chainId} first`);
    let request;
    let gas: bigint;
    try {
      ({ request } = await reader.simulateContract({ ...call, account: this.account } as any));
      gas = await reader.estimateContractGas({ ...call, account: this.account } as any);
    } catch (err) {
      throw new Refusal(reasonOf(err), err);
    }
    // The SDK's headroom: a tight estimate can run out of gas when storage is cleared
    // (undelegate); unused gas is refunded.
    const hash = await this.client.writeContract({ ...(request as any), gas: (gas * 5n) / 4n });
    const receipt = await reader.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Refusal(`transaction ${hash} reverted`);
    return hash;
  }
  /** Ask the wallet for an EIP-712 signature (`eth_signTypedData_v4`) over `typedData`. */
  async signTypedData(typedData: Record<string, unknown>): Promise<`0x${string}`> {
    if (!this.account || !this.client) throw new Refusal("connect a wallet first");
    if (this.wrongChain) throw new Refusal(`switch the wallet to chain ${this.config.chainId} first`);
    return this.client.signTypedData({ account: this.account, ...typedData } as any);
  }
}

export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly cause?: unknown,
  ) {
    super(reason);
  }
}

/** The contract's own revert reason, when there is one; else viem's short message. */
export function reasonOf(err: unknown): string {
  if (err instanceof BaseError) {
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      if (revert.reason) return revert.reason;
      if (revert.data?.errorName) return revert.data.errorName;
    }
    return err.shortMessage;
  }
  return err instanceof Error ? err.message : String(err);
}
