"""Accounts for signing: encrypted keystores (never a raw key on a command line).

Keystores are standard Web3 Secret Storage (v3) JSON files, the format geth, MetaMask
exports and ape (``~/.ape/accounts/<alias>.json``) use, so an account made with any of
them works here, and the other way round.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from panarchy.chain import DEV_ACCOUNT_COUNT, dev_accounts
from panarchy.errors import ConfigurationError

#: Where ape keeps its keystores; an alias given to the CLI is looked up here too.
APE_ACCOUNTS = Path.home() / ".ape" / "accounts"


def resolve_keystore(name_or_path: str) -> Path:
    """Find a keystore by path, or by ape alias (``~/.ape/accounts/<alias>.json``).

    Raises:
        ConfigurationError: When neither exists.
    """
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    alias = APE_ACCOUNTS / f"{name_or_path}.json"
    if alias.is_file():
        return alias
    raise ConfigurationError(
        f"no keystore at {path} and no ape account named {name_or_path!r}: "
        "create one with `panarchy account new PATH` (or `ape accounts generate ALIAS`)"
    )


def load_keystore(name_or_path: str, password: str) -> LocalAccount:
    """Decrypt a keystore.

    Args:
        name_or_path: A keystore file, or an ape account alias.
        password: Its password.

    Raises:
        ConfigurationError: When the file is not a keystore or the password is wrong.
    """
    path = resolve_keystore(name_or_path)
    keyfile = _read_keyfile(path)
    try:
        key = Account.decrypt(keyfile, password)
    except ValueError as exc:  # eth_account: "MAC mismatch"
        raise ConfigurationError(
            f"wrong password for the keystore {path}: type it again, or fix "
            "$PANARCHY_PASSWORD (unset it to be asked)"
        ) from exc
    except Exception as exc:  # not a v3 keystore at all
        raise ConfigurationError(
            f"{path} is not a valid keystore ({type(exc).__name__}: {exc}): "
            "give a keystore made by `panarchy account new`, geth or ape"
        ) from exc
    return Account.from_key(key)


def keystore_address(name_or_path: str | Path) -> str:
    """A keystore's address, read without its password (checksummed).

    Raises:
        ConfigurationError: When the file is not a keystore.
    """
    path = resolve_keystore(str(name_or_path))
    address = _read_keyfile(path).get("address")
    if not isinstance(address, str) or not is_address("0x" + address.removeprefix("0x")):
        raise ConfigurationError(
            f"{path} has no address: it is not a keystore made by `panarchy account new`, "
            "geth or ape"
        )
    return str(to_checksum_address("0x" + address.removeprefix("0x")))


def _read_keyfile(path: Path) -> dict[str, object]:
    try:
        keyfile = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigurationError(
            f"{path} is not a readable keystore ({exc}): give the JSON keystore file"
        ) from exc
    if not isinstance(keyfile, dict):
        raise ConfigurationError(f"{path} is not a keystore (a JSON object)")
    return keyfile


def create_keystore(path: str | Path, password: str, *, private_key: str | None = None) -> str:
    """Write a new encrypted keystore (a fresh key unless one is given); return its address.

    The file is written atomically and readable by its owner only. An existing file is
    never overwritten.
    """
    path = Path(path).expanduser()
    if path.exists():
        raise ConfigurationError(f"{path} exists; choose another path (nothing was changed)")
    if len(password) < 8:
        raise ConfigurationError("choose a password of at least 8 characters")
    account = Account.from_key(private_key) if private_key else Account.create()
    keyfile = Account.encrypt(account.key, password)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        json.dump(keyfile, f)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return str(account.address)


def dev_account(index: int) -> LocalAccount:
    """A development account (anvil's well-known keys): for local chains only."""
    if not 0 <= index < DEV_ACCOUNT_COUNT:
        raise ConfigurationError(f"development accounts are numbered 0 to {DEV_ACCOUNT_COUNT - 1}")
    return dev_accounts(index + 1)[index]


__all__ = [
    "APE_ACCOUNTS",
    "resolve_keystore",
    "load_keystore",
    "keystore_address",
    "create_keystore",
    "dev_account",
]
