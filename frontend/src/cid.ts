// The chain stores a document as the 32-byte sha2-256 digest of its dag-pb root; its text
// form is the CIDv0 `Qm...` (base58btc of the multihash 0x12 0x20 || digest).

import { sha256 } from "viem";

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

// --- recomputing a document's CID in the browser ------------------------------------------
//
// The same importer as the SDK's (pysdk/panarchy/documents/cid.py), which is Kubo's `ipfs
// add`: 256 KiB chunks, balanced dag-pb nodes of at most 174 links. The chain holds the
// sha2-256 digest of a dag-pb root, so the bytes match when one of Kubo's layouts (CIDv0,
// CIDv1 with raw leaves, CIDv1 with dag-pb leaves) gives a dag-pb root with that digest.


const CHUNK_SIZE = 262_144;
const MAX_LINKS = 174;
const DAG_PB = 0x70;
const RAW = 0x55;

interface Layout {
  version: 0 | 1;
  rawLeaves: boolean;
}

const LAYOUTS: Layout[] = [
  { version: 0, rawLeaves: false },
  { version: 1, rawLeaves: true },
  { version: 1, rawLeaves: false },
];

interface Child {
  codec: number;
  digest: Uint8Array;
  tsize: number;
  filesize: number;
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n % 128;
    n = Math.floor(n / 128);
    if (n) out.push(byte | 0x80);
    else {
      out.push(byte);
      return out;
    }
  }
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function field(tag: number, value: Uint8Array): Uint8Array {
  return concat([[tag], varint(value.length), value]);
}

function unixfsFile(data: Uint8Array | null, filesize: number, blocksizes: number[] = []): Uint8Array {
  const parts: (Uint8Array | number[])[] = [[0x08, 0x02]];
  if (data) parts.push(field(0x12, data));
  parts.push([0x18, ...varint(filesize)]);
  for (const size of blocksizes) parts.push([0x20, ...varint(size)]);
  return concat(parts);
}

function pbNode(links: [Uint8Array, number][], data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = links.map(([cid, tsize]) =>
    field(0x12, concat([field(0x0a, cid), [0x12, 0x00, 0x18, ...varint(tsize)]])),
  );
  parts.push(field(0x0a, data));
  return concat(parts);
}

function cidBytes(layout: Layout, child: Child): Uint8Array {
  const multihash = concat([[0x12, 0x20], child.digest]);
  return layout.version === 0 ? multihash : concat([[0x01, child.codec], multihash]);
}

function hashOf(block: Uint8Array): Uint8Array {
  return sha256(block, "bytes");
}

/** The root a Kubo `ipfs add` with `layout` gives these bytes. */
export function rootOf(bytes: Uint8Array, layout: Layout): Child {
  const leaves: Child[] = [];
  const leaf = (chunk: Uint8Array, empty: boolean): Child => {
    if (layout.rawLeaves) return { codec: RAW, digest: hashOf(chunk), tsize: chunk.length, filesize: chunk.length };
    const block = pbNode([], unixfsFile(empty ? null : chunk, chunk.length));
    return { codec: DAG_PB, digest: hashOf(block), tsize: block.length, filesize: chunk.length };
  };
  for (let at = 0; at < bytes.length; at += CHUNK_SIZE) leaves.push(leaf(bytes.subarray(at, at + CHUNK_SIZE), false));
  if (leaves.length === 0) leaves.push(leaf(new Uint8Array(0), true));
  let level = leaves;
  while (level.length > 1) {
    const next: Child[] = [];
    for (let i = 0; i < level.length; i += MAX_LINKS) {
      const children = level.slice(i, i + MAX_LINKS);
      const filesize = children.reduce((n, c) => n + c.filesize, 0);
      const data = unixfsFile(null, filesize, children.map((c) => c.filesize));
      const block = pbNode(children.map((c) => [cidBytes(layout, c), c.tsize]), data);
      next.push({
        codec: DAG_PB,
        digest: hashOf(block),
        tsize: block.length + children.reduce((n, c) => n + c.tsize, 0),
        filesize,
      });
    }
    level = next;
  }
  return level[0];
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `bytes` are the document whose dag-pb root digest the chain holds. */
export function matchesDigest(bytes: Uint8Array, digest: `0x${string}`): boolean {
  const want = digest.slice(2).toLowerCase();
  return LAYOUTS.some((layout) => {
    const root = rootOf(bytes, layout);
    return root.codec === DAG_PB && hex(root.digest) === want;
  });
}
