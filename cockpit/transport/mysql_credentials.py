"""The MySQL user and password of a site: from an environment variable or an
option file (``[client]`` user/password). The password is registered with
:mod:`cockpit.secrets` (masked wherever the cockpit writes) and never part of
a repr, a message or an exception."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cockpit import secrets
from cockpit.inventory.model import MySQL


class CredentialError(Exception):
    """No usable password for a site: names the variable or file, never a value."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def option_file_text(self) -> bytes:
        """A ``[client]`` option file for the MariaDB tools (sent on stdin, never on a command line)."""
        pw = self.password.replace("\\", "\\\\").replace('"', '\\"')
        return f'[client]\nuser = "{self.user}"\npassword = "{pw}"\n'.encode()


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def read_option_file(path: str) -> dict[str, str]:
    """``[client]`` keys of a MySQL option file (later groups do not override; comments ignored)."""
    p = Path(path).expanduser()
    try:
        text = p.read_text(errors="replace")
    except FileNotFoundError:
        raise CredentialError(f"MySQL option file {p} does not exist") from None
    except OSError as e:
        raise CredentialError(f"cannot read MySQL option file {p}: {e.strerror}") from None
    out: dict[str, str] = {}
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip().lower()
            continue
        if group != "client":
            continue
        key, eq, value = line.partition("=")
        key = key.strip().lower().replace("-", "_")
        if eq and key not in out:
            out[key] = _unquote(value)
    return out


def credentials_for(m: MySQL) -> Credentials:
    """The user and password the inventory's ``[mysql]`` (or a site's override) names."""
    if m.password_env is not None:
        value = os.environ.get(m.password_env)
        if value is None:
            raise CredentialError(f"the environment variable {m.password_env} (mysql.password_env) is not set")
        secrets.register(value)
        return Credentials(m.user, value)
    if m.option_file is not None:
        opts = read_option_file(m.option_file)
        if "password" not in opts:
            raise CredentialError(f"MySQL option file {m.option_file} has no password in its [client] group")
        secrets.register(opts["password"])
        return Credentials(opts.get("user") or m.user, opts["password"])
    return Credentials(m.user, "")
