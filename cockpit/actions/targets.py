"""What an action acts on: a host, a site, or one table of a site (``site.table``).

A :class:`Target` is resolved from the inventory once, when the action is
planned (or when the confirm screen opens), and carries its identity: the
words the engineer confirms. Nothing re-resolves it later, so a refresh that
reorders rows cannot change what runs.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from cockpit.actions.model import ActionError
from cockpit.inventory.model import Host, Inventory, Site

TABLE_RE = re.compile(r"^[A-Za-z0-9_$]{1,64}$")


class TargetKind(enum.StrEnum):
    HOST = "host"
    SITE = "site"
    TABLE = "table"  # site.table


class TargetError(ActionError):
    """The target does not exist in the inventory (or is malformed)."""


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    name: str  # as given: "web1", "acme", "acme.worker"
    host: Host  # the host it lives on now (a site's current host)
    site: Site | None = None
    table: str | None = None

    @property
    def identity(self) -> str:
        """One line naming exactly what is acted on (shown on the confirm screen)."""
        if self.kind is TargetKind.HOST:
            return f"host {self.host.name} ({self.host.address}, {self.host.role})"
        assert self.site is not None
        where = f"on host {self.host.name} ({self.host.address})"
        db = f", database {self.site.database}" if self.site.database else ""
        if self.kind is TargetKind.TABLE:
            return f"table {self.table} of site {self.site.name}{db} {where}"
        return f"site {self.site.name}{db} {where}"


def resolve(inv: Inventory, kind: TargetKind, text: str, site_hosts: dict[str, str] | None = None) -> Target:
    """``site_hosts`` maps a site to the host it runs on now, when a failover moved it."""
    text = text.strip()
    if kind is TargetKind.HOST:
        try:
            return Target(kind, text, inv.host(text))
        except KeyError:
            raise TargetError(f"no host named {text!r} in {inv.path}") from None
    site_name, table = text, None
    if kind is TargetKind.TABLE:
        site_name, dot, table = text.partition(".")
        if not dot or not table:
            raise TargetError(f"expected SITE.TABLE (e.g. acme.worker), got {text!r}")
        if not TABLE_RE.match(table):
            raise TargetError(f"table name {table!r}: expected letters, digits, _ or $ (at most 64)")
    try:
        site = inv.site(site_name)
    except KeyError:
        raise TargetError(f"no site named {site_name!r} in {inv.path}") from None
    host_name = (site_hosts or {}).get(site.name, site.host)
    try:
        host = inv.host(host_name)
    except KeyError:
        host = inv.host(site.host)
    return Target(kind, text, host, site, table)
