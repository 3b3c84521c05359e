"""Proposal actions in plain words, from one table shared with the web app.

``descriptions.json`` (next to this module) holds a template per function of every Panarchy
contract (``"enact a clause from {document:cid} for {term_cycles:cycles}"``), the nouns of
counted things and the labels of enumerations. This module and the web app's
``frontend/src/describe.ts`` both render actions from it (``tools/build_artifacts.py`` copies
it into the app's generated module), so the CLI, the SDK and the browser say the same words.

A placeholder is ``{name}`` or ``{name:kind}``; ``{tuple.field}`` reads a field of a struct
argument and ``{@target}`` is the called contract. Kinds: ``cid`` (a document digest, or
"none"), ``role`` (a role id as its name), ``duration`` (seconds as ``14d``, ``12h``, ``90s``),
``bps`` (basis points as a percentage), ``amount`` (a fund's base units: in ETH for an ETH
fund, raw base units otherwise), ``asset`` (a token address: "ETH" for the zero address),
``selector`` (a 4-byte selector as the function's name), a ``labels`` key (an enumeration) or
a ``counts`` key (a number, or an array's length, with its noun). Without a kind: addresses
checksummed, numbers in decimal, booleans as yes/no, bytes in hex.

An action on a contract the describer does not know, or whose calldata is not the canonical
encoding of its function's arguments, reads ``call <target> (<selector>)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_abi_to_4byte_selector, to_checksum_address

from panarchy._utils import artifacts
from panarchy.documents import bytes32_to_cid

_PLACEHOLDER = re.compile(r"\{(@?[\w.]+)(?::(\w+))?\}")

#: Reads a fund's ``token()`` (the zero address: ETH); None when it cannot be read.
TokenOf = Callable[[str], str | None]


@cache
def table() -> dict[str, Any]:
    """The shared table (``descriptions.json``)."""
    return dict(json.loads(files("panarchy.charter").joinpath("descriptions.json").read_text()))


@cache
def _functions(contract: str) -> dict[bytes, dict[str, Any]]:
    """A contract's functions by selector."""
    return {
        bytes(function_abi_to_4byte_selector(entry)): entry
        for entry in artifacts.load(contract)["abi"]
        if entry.get("type") == "function"
    }


def _abi_type(param: Mapping[str, Any]) -> str:
    """An ABI parameter's canonical type (tuples spelled out) for eth_abi."""
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def _named(param: Mapping[str, Any], value: Any) -> Any:
    """A decoded value with its structs as dicts by field name and addresses checksummed."""
    kind = str(param["type"])
    if kind.endswith("]"):
        element = {**param, "type": kind[: kind.rindex("[")]}
        return [_named(element, v) for v in value]
    if kind == "tuple":
        return {c["name"]: _named(c, v) for c, v in zip(param["components"], value, strict=True)}
    if kind == "address":
        return to_checksum_address(value)
    return value


def format_duration_exact(seconds: int) -> str:
    """Seconds for people, the way the web app writes them: ``14d``, ``29.53d``, ``90s``
    (integer arithmetic, rounded half up, so both sides agree to the digit)."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            hundredths = (seconds * 100 + size // 2) // size
            return _decimal(hundredths, 2) + unit
    return f"{seconds}s"


def _decimal(units: int, places: int) -> str:
    """``units / 10**places`` without trailing zeros: ``(2953, 2)`` -> ``29.53``."""
    whole, frac = divmod(units, 10**places)
    digits = f"{frac:0{places}d}".rstrip("0") if places else ""
    return f"{whole}.{digits}" if digits else str(whole)


def _plain(value: Any) -> str:
    """A value without a kind."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k}={_plain(v)}" for k, v in value.items()) + ")"
    return str(value)


def selector_name(selector: bytes) -> str:
    """A selector as the name of the first Panarchy function that has it (or its hex)."""
    for contract in table()["selector_order"]:
        entry = _functions(contract).get(bytes(selector))
        if entry is not None:
            return str(entry["name"])
    return "0x" + bytes(selector).hex()


class Describer:
    """Describes actions on a charter's own contracts and on funds, circles and factories.

    Args:
        own: The contracts known by address: ``{address: "ClauseBook", ...}``. Any other
            target is matched by its selector against the fund, circle and factory ABIs.
        token_of: Reads a fund's token, so its amounts read in ETH (None: raw base units).
    """

    def __init__(self, own: Mapping[str, str], token_of: TokenOf | None = None) -> None:
        self._own = {to_checksum_address(a): name for a, name in own.items()}
        self._token_of = token_of

    def contract_of(self, target: str, calldata: bytes) -> str | None:
        """Which Panarchy contract an action calls (its name), if the describer can tell."""
        own = self._own.get(to_checksum_address(target))
        if own is not None:
            return own
        for name in table()["guess_order"]:
            if bytes(calldata[:4]) in _functions(name):
                return str(name)
        return None

    def describe(self, target: str, calldata: bytes) -> str:
        """An action in plain words."""
        target = to_checksum_address(target)
        calldata = bytes(calldata)
        if len(calldata) < 4:
            return f"call {target}" + (f" (0x{calldata.hex()})" if calldata else "")
        fallback = f"call {target} (0x{calldata[:4].hex()})"
        contract = self.contract_of(target, calldata)
        entry = _functions(contract).get(calldata[:4]) if contract else None
        template = table()["templates"].get(contract, {}).get(entry["name"]) if entry else None
        if entry is None or template is None:
            return fallback
        types = [_abi_type(p) for p in entry["inputs"]]
        try:
            values = decode(types, calldata[4:])
        except Exception:  # calldata that does not decode as its selector says
            return fallback
        if encode(types, values) != calldata[4:]:  # only canonical calldata, as in the app
            return fallback
        args = {p["name"]: _named(p, v) for p, v in zip(entry["inputs"], values, strict=True)}
        return _PLACEHOLDER.sub(lambda m: self._field(target, args, m[1], m[2]), template)

    def _field(self, target: str, args: dict[str, Any], path: str, kind: str | None) -> str:
        if path == "@target":
            return target
        value: Any = args
        for part in path.split("."):
            value = value[part]
        return self._formatted(target, value, kind)

    def _formatted(self, target: str, value: Any, kind: str | None) -> str:
        shared = table()
        if kind is None:
            return _plain(value)
        if kind == "cid":
            return bytes32_to_cid(value) if any(value) else "none"
        if kind == "role":
            return bytes(value).rstrip(b"\0").decode(errors="replace")
        if kind == "duration":
            return format_duration_exact(int(value))
        if kind == "bps":
            return _decimal(int(value), 2) + "%"
        if kind == "selector":
            return selector_name(value)
        if kind == "asset":
            return "ETH" if int(value, 16) == 0 else f"token {value}"
        if kind == "amount":
            token = self._token_of(target) if self._token_of else None
            if token is not None and int(token, 16) == 0:
                return _decimal(int(value), 18) + " ETH"
            if token is not None:
                return f"{value} base units of token {to_checksum_address(token)}"
            return f"{value} base units"
        if kind in shared["labels"]:
            return str(shared["labels"][kind].get(str(value), value))
        if kind in shared["counts"]:
            count = len(value) if isinstance(value, list) else int(value)
            noun = shared["counts"][kind]
            return f"{count} {noun}" + ("" if count == 1 else "s")
        raise ValueError(f"descriptions.json: unknown kind {kind!r}")


__all__ = ["Describer", "TokenOf", "format_duration_exact", "selector_name", "table"]
