"""Read a BIND key file (what ``tsig-keygen`` and ``rndc-confgen -a`` write)::

    key "cockpit-key" {
        algorithm hmac-sha256;
        secret "base64...";
    };

Pure parsing; errors never echo the secret.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

_KEY = re.compile(r'key\s+"?([A-Za-z0-9._-]+)"?\s*\{(.*?)\}\s*;', re.S)
_ALG = re.compile(r"algorithm\s+\"?([A-Za-z0-9-]+)\"?\s*;")
_COMMENT_OR_STRING = re.compile(r'"[^"\n]*"|(?:#|//)[^\n]*|/\*.*?\*/', re.S)
_SECRET = re.compile(r'secret\s+"([A-Za-z0-9+/=\s]+)"\s*;')


class KeyFileError(ValueError):
    pass


@dataclass(frozen=True)
class TsigKey:
    name: str
    algorithm: str
    secret: str  # base64

    def __repr__(self) -> str:  # never print the secret by accident
        return f"TsigKey(name={self.name!r}, algorithm={self.algorithm!r}, secret=<hidden>)"


def parse_key_file(text: str, want: str | None = None) -> TsigKey:
    """The key named ``want`` (or the only key) in ``text``."""
    # drop comments, but not inside quoted strings: base64 secrets contain "/" and so, now and then, "//"
    text = _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    keys = []
    for m in _KEY.finditer(text):
        alg, secret = _ALG.search(m.group(2)), _SECRET.search(m.group(2))
        if alg is None or secret is None:
            raise KeyFileError(f"key {m.group(1)!r} has no algorithm or no secret")
        value = "".join(secret.group(1).split())
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileError(f"key {m.group(1)!r}: the secret is not valid base64") from None
        keys.append(TsigKey(m.group(1), alg.group(1).lower(), value))
    if not keys:
        raise KeyFileError("no key { algorithm ...; secret \"...\"; }; statement found")
    if want is None:
        if len(keys) > 1:
            raise KeyFileError(f"{len(keys)} keys in the file; name the one to use (key_name)")
        return keys[0]
    for k in keys:
        if k.name.rstrip(".") == want.rstrip("."):
            return k
    raise KeyFileError(f"no key named {want!r} (the file has {', '.join(repr(k.name) for k in keys)})")
