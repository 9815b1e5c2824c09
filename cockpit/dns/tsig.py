"""The TSIG key for ``[dns.update]``: from ``key_file`` (a BIND key file) or
the environment variable ``key_secret_env``. The secret is registered with
:mod:`cockpit.secrets` the moment it is read, so it is masked wherever the
cockpit writes (logs, audit, state, JSON, screens); errors never contain it."""

from __future__ import annotations

from pathlib import Path

import dns.name
import dns.tsig
import dns.tsigkeyring

from cockpit import secrets
from cockpit.dns.keyfile import KeyFileError, parse_key_file
from cockpit.inventory.model import DnsUpdate, Inventory


class TsigKeyError(Exception):
    """The key cannot be had; the message names where it was looked for."""


Keyring = dict[dns.name.Name, dns.tsig.Key]


def key_path(inventory: Inventory, update: DnsUpdate) -> Path | None:
    if update.key_file is None:
        return None
    p = Path(update.key_file).expanduser()
    return p if p.is_absolute() else inventory.path.parent / p


def load_keyring(inventory: Inventory, update: DnsUpdate) -> tuple[Keyring, dns.name.Name, str]:
    """(keyring, key name, algorithm) for signing updates."""
    path = key_path(inventory, update)
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise TsigKeyError(f"[dns.update] key_file {path}: {e.strerror or e}") from None
        try:
            key = parse_key_file(text, update.key_name)
        except KeyFileError as e:
            raise TsigKeyError(f"[dns.update] key_file {path}: {e}") from None
        secrets.register(key.secret)
        name, algorithm, secret = key.name, key.algorithm, key.secret
    else:
        value = secrets.from_env(update.key_secret_env)
        if not value:
            raise TsigKeyError(f"[dns.update] key_secret_env: the environment variable {update.key_secret_env} "
                               "is not set (it must hold the TSIG key's base64 secret)")
        name, algorithm, secret = update.key_name, update.algorithm, value.strip()
    try:
        ring = dns.tsigkeyring.from_text({name: (algorithm, secret)})
    except Exception:  # the secret must not reach a message: say only what is wrong with it
        raise TsigKeyError(f"[dns.update] the TSIG key {name!r} is not a valid {algorithm} key "
                           "(expected a base64 secret)") from None
    return ring, dns.name.from_text(name), algorithm
