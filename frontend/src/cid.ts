// The chain stores a document as the 32-byte sha2-256 digest of its dag-pb root; its text
// form is the CIDv0 `Qm...` (base58btc of the multihash 0x12 0x20 || digest).

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

export function bytes32ToCid(digest: `0x${string}`): string | null {
  if (/^0x0{64}$/.test(digest)) return null;
  const bytes = new Uint8Array(34);
  bytes[0] = 0x12;
  bytes[1] = 0x20;
  for (let i = 0; i < 32; i++) bytes[i + 2] = parseInt(digest.slice(2 + 2 * i, 4 + 2 * i), 16);
  return base58(bytes);
}
