"""Secret files the inventory names (MySQL option files, the TSIG key file,
SSH identity files) that other local users can read: a warning each, shown by
``cockpit check-config`` and whenever a command loads the inventory (and in
the TUI at start-up). Warnings, not errors: on a shared jump box the operator
may not own the file, and refusing to start in an incident helps no one."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from cockpit.inventory.model import Inventory


@dataclass(frozen=True)
class Exposed:
    path: str
    what: str  # "MySQL option file", "TSIG key file", "SSH identity file"
    key: str  # the inventory key that names it
    mode: int

    @property
    def message(self) -> str:
        who = "every local user" if self.mode & stat.S_IROTH else "its group"
        return (f"{self.what} {self.path} ({self.key}) is readable by {who} (mode {self.mode:04o}): "
                f"chmod 600 {self.path}")


def _candidates(inv: Inventory) -> list[tuple[str, str, str]]:
    out = [(inv.mysql.option_file, "MySQL option file", "mysql.option_file"),
           (inv.defaults.identity_file, "SSH identity file", "defaults.identity_file")]
    out += [(s.mysql.option_file, "MySQL option file", f"sites[{i}].mysql.option_file")
            for i, s in enumerate(inv.sites)]
    out += [(h.identity_file, "SSH identity file", f"hosts[{i}].identity_file") for i, h in enumerate(inv.hosts)]
    if inv.dns is not None and inv.dns.update is not None:
        out.append((inv.dns.update.key_file, "TSIG key file", "dns.update.key_file"))
    return [(p, what, key) for p, what, key in out if p]


def exposed_secret_files(inv: Inventory) -> list[Exposed]:
    """Each readable-by-others secret file once (the first key naming it)."""
    seen: set[str] = set()
    found: list[Exposed] = []
    for path, what, key in _candidates(inv):
        full = os.path.expanduser(path)
        if full in seen:
            continue
        seen.add(full)
        try:
            mode = stat.S_IMODE(os.stat(full).st_mode)
        except OSError:
            continue  # missing or unreadable: the code that reads it says so
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            found.append(Exposed(path, what, key, mode))
    return found


def warnings(inv: Inventory) -> list[str]:
    return [f"warning: {e.message}" for e in exposed_secret_files(inv)]
