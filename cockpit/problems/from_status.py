"""Problems of the tables, transfers and DNS areas, read from their parts of
``status --json`` (a contract, additions only), so the wallboard needs nothing
from those engines but what ``cockpit status`` already shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cockpit.engine.hoststate import DOWN
from cockpit.problems.model import Problem
from cockpit.severity import Severity

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

_BAD = {Severity.WARNING.value, Severity.UNKNOWN.value, Severity.CRITICAL.value}


def _bad(item: dict[str, Any]) -> Severity | None:
    sev = item.get("severity")
    return Severity(sev) if isinstance(sev, str) and sev in _BAD else None


def _host_down(engine: Engine, host: object) -> bool:
    """The engine's last sweep found ``host`` unreachable, untrusted or failing (not merely not swept yet)."""
    state = engine.hosts.get(host) if isinstance(host, str) else None
    return state is not None and state.reach in DOWN


def site_problems(engine: Engine) -> Iterator[Problem]:
    from cockpit.status.sites_json import sites_part

    for site in sites_part(engine, tables=False)[0]:  # the verdict is enough
        sev = _bad(site)
        if sev is None:
            continue
        corrupt = site.get("corrupt_tables") or []
        fact = None  # its timeline fact, for "since when": the first corrupt table, or its MySQL going away
        if corrupt:
            what = f"{len(corrupt)} corrupt table{'s' if len(corrupt) != 1 else ''}: {', '.join(map(str, corrupt))}"
            fact = "tables"
        elif site.get("state") == "unreachable" and _host_down(engine, site.get("host")):
            # the cause first: at 80 columns "unreachable: MySQL on web1 (127.0.0.1:3306 via SSH)…" was all
            # that showed, and read as MySQL's fault; the host's own line says since when and why
            what = f"host {site['host']} is down: tables not checked"
        elif site.get("state") == "unreachable":  # its severity is unknown: the tables pane says UNREACHABLE
            what = f"unreachable: {site.get('error') or 'MySQL did not answer'}"
            fact = "mysql"
        elif site.get("error"):
            what = str(site["error"])
        elif site.get("checked_at") is None and site.get("state") in ("unknown", "checking"):
            what = "first check running" if site["state"] == "checking" else "not checked yet"
        else:
            what = str(site.get("state") or "?")
        host = str(site.get("host") or "")
        where = f" on {host}" if host and host not in what else ""
        yield Problem(sev, "sites", str(site.get("name", "?")), what + where,
                      f"site/{site.get('name')}/{fact}" if fact else None)


def transfer_problems(engine: Engine) -> Iterator[Problem]:
    from cockpit.status.transfers_json import transfers_part

    for imp in transfers_part(engine)[0]:
        sev = _bad(imp)
        if sev is None:
            continue
        what = f"import {imp.get('state', '?')}"
        detail = imp.get("reason") or imp.get("error")
        yield Problem(sev, "transfers", str(imp.get("site", "?")), f"{what}: {detail}" if detail else what)


def dns_problems(engine: Engine) -> Iterator[Problem]:
    from cockpit.status.dns_part import dns_part

    for site in dns_part(engine)[0]:
        sev = _bad(site)
        if sev is None:
            continue
        pct = site.get("propagated_percent")
        what = str(site.get("problem") or (f"{pct:g}% propagated" if isinstance(pct, int | float) else "?"))
        waiting = site.get("waiting_for") or []
        if waiting:
            what += f"; waiting for {', '.join(map(str, waiting))}"
        if site.get("wrong_in_zone"):
            what += f"; wrong in the zone on {', '.join(map(str, site['wrong_in_zone']))}"
        yield Problem(sev, "dns", str(site.get("name") or site.get("site") or "?"), what)
