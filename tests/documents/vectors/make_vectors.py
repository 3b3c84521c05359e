"""Make the CID test vectors with a real IPFS node (js-ipfs 0.66, offline, on loopback).

Usage (from the project root, after ``npm ci``)::

    .venv/bin/python tests/documents/vectors/make_vectors.py

Each input is described in ``cid_vectors.json`` by its name, size and generator, so that
the tests regenerate the bytes instead of committing large files:

- ``literal``: the UTF-8 ``text`` given;
- ``shake128``: the first ``size`` bytes of SHAKE-128 over the UTF-8 ``seed``
  (``hashlib.shake_128(seed.encode()).digest(size)``), a deterministic pseudo-random
  stream, so neighbouring chunks differ and a misplaced link changes the root.

For every input the node's ``/api/v0/add`` is called with Kubo's defaults
(``chunker=size-262144``, balanced layout, ``cid-version=0``), with
``cid-version=1&raw-leaves=true`` (Kubo's CIDv1 default) and with
``cid-version=1&raw-leaves=false``, always ``cid-base=base32`` for CIDv1 and
``pin=false``. The node's answers are written back into ``cid_vectors.json``; nothing here
uses the SDK's own importer.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from jsipfs_node import running_node  # noqa: E402

CHUNK = 262_144

#: name -> (size, generator, text or seed)
INPUTS: list[tuple[str, int, str, str]] = [
    ("empty", 0, "literal", ""),
    ("few-bytes", 0, "literal", "Panarchy: every document lives on IPFS.\n"),
    ("hello-world", 0, "literal", "hello world\n"),
    ("one-chunk", CHUNK, "shake128", "panarchy/cid-vector/one-chunk"),
    ("one-chunk-plus-one", CHUNK + 1, "shake128", "panarchy/cid-vector/one-chunk-plus-one"),
    ("several-mib", 5 * 1024 * 1024 + 12_345, "shake128", "panarchy/cid-vector/several-mib"),
    ("full-one-level", 174 * CHUNK, "shake128", "panarchy/cid-vector/full-one-level"),
    ("two-level", 174 * CHUNK + 1, "shake128", "panarchy/cid-vector/two-level"),
    ("two-level-wider", 176 * CHUNK + 100_000, "shake128", "panarchy/cid-vector/two-level-wider"),
]

SETTINGS = {
    "cidv0": {"cid-version": "0"},
    "cidv1_raw_leaves": {"cid-version": "1", "raw-leaves": "true", "cid-base": "base32"},
    "cidv1_dagpb_leaves": {"cid-version": "1", "raw-leaves": "false", "cid-base": "base32"},
}


def generate(vector: dict[str, object]) -> bytes:
    """Return the input bytes a vector describes."""
    if vector["generator"] == "literal":
        return str(vector["text"]).encode()
    if vector["generator"] == "shake128":
        return hashlib.shake_128(str(vector["seed"]).encode()).digest(int(vector["size"]))
    raise ValueError(f"unknown generator {vector['generator']!r}")


def main() -> None:
    vectors: list[dict[str, object]] = []
    with (
        tempfile.TemporaryDirectory(prefix="panarchy-vectors-") as tmp,
        running_node(Path(tmp)) as node,
    ):
        version = json.loads(node.rpc("version"))
        for name, size, generator, value in INPUTS:
            vector: dict[str, object] = {"name": name, "generator": generator}
            if generator == "literal":
                vector["text"] = value
                vector["size"] = len(value.encode())
            else:
                vector["seed"] = value
                vector["size"] = size
            data = generate(vector)
            vector["sha256"] = hashlib.sha256(data).hexdigest()
            for label, params in SETTINGS.items():
                answer = node.add(data, chunker=f"size-{CHUNK}", pin="false", **params)
                vector[label] = answer["Hash"]
                vector[f"{label}_size"] = answer["Size"]
            print(name, vector["cidv0"], vector["cidv1_raw_leaves"], flush=True)
            vectors.append(vector)
    document = {
        "made_by": (
            f"js-ipfs: npm ipfs@0.66.1 (ipfs-core {version.get('Version')}), offline on 127.0.0.1, "
            "through /api/v0/add; see make_vectors.py"
        ),
        "chunker": f"size-{CHUNK}",
        "layout": "balanced, 174 links per node",
        "settings": SETTINGS,
        "vectors": vectors,
    }
    (HERE / "cid_vectors.json").write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
