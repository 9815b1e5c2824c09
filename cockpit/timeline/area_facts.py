"""What the tables and DNS areas tell the timeline, read from their parts of
``status --json`` (a contract) after every sweep:

* a site's tables: ``corrupt`` from its first corrupt table on (one event per
  site, evidence: that table's CHECK TABLE messages), ``sound`` again once
  every table checks OK;
* a site's MySQL: ``unreachable`` when its server cannot be reached on a host
  that answers SSH (a host that does not has its own ``host.unreachable``),
  ``answering`` again once a check gets through;
* a site's name in DNS: ``pending`` while some server still gives another
  answer, ``propagated`` when every nameserver and resolver gives the expected one.

Imports (the transfers area) report their phases themselves. An area that
fails here costs only its own observations.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cockpit import clock
from cockpit.engine.hoststate import Reach
from cockpit.severity import Severity
from cockpit.timeline.event import Observation, parse_time
from cockpit.timeline.store import Timeline

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

log = logging.getLogger(__name__)


async def observe_areas(timeline: Timeline, engine: Engine) -> None:
    observations: list[Observation] = []
    for name, area in (("tables", _sites), ("dns", _dns)):
        try:
            observations += area(engine)
        except Exception:  # another area's bug must not stop the disk sweep
            log.exception("timeline: reading the %s state failed", name)
    if observations:
        await asyncio.to_thread(timeline.observe_many, observations)


def _sites(engine: Engine) -> list[Observation]:
    from cockpit.status.sites_json import sites_part

    sites = sites_part(engine, tables=False)[0]  # after every disk sweep: the table lists only when needed
    if any(s.get("corrupt_tables") for s in sites):
        sites = sites_part(engine)[0]  # the evidence: the first corrupt table's CHECK messages
    out = [o for s in sites if (o := site_observation(s)) is not None]
    return out + [o for s in sites if (o := mysql_observation(s, ssh_answered_after(engine, s))) is not None]


def hosts_to_confirm(engine: Engine) -> set[str]:
    """Hosts up at their last sweep whose site's MySQL failed after it: one more SSH answer from them tells
    a MySQL that is down from SSH that went away meanwhile (a one-shot ``status`` has no next sweep)."""
    from cockpit.status.sites_json import sites_part

    return {f[0] for site in sites_part(engine, tables=False)[0]
            if (f := _failed_on_host_up(engine, site)) is not None and f[1] < f[2]}


def ssh_answered_after(engine: Engine, site: dict[str, Any]) -> bool:
    """Whether the site's host answered SSH after its MySQL failed, and was up when it failed: then it is
    MySQL that does not answer. A check that failed because SSH did (hung, link down) is the host's news,
    even when the host is back by the time it is looked at."""
    found = _failed_on_host_up(engine, site)
    if found is None:
        return False
    host, swept, failed = found
    back = engine.timeline.last(f"host/{host}/reach")  # its latest change: up again (or none: up throughout)
    return swept >= failed and (back is None or failed >= back.at)


def _failed_on_host_up(engine: Engine, site: dict[str, Any]) -> tuple[str, datetime, datetime] | None:
    """For an unreachable site whose host was up at its last sweep: the host, when that sweep ended, and
    when the site's check failed. Else None."""
    host = engine.hosts.get(str(site.get("host")))
    failed = parse_time(site.get("error_at"))
    if (site.get("state") != "unreachable" or host is None or host.reach is not Reach.UP
            or host.checked_at is None or failed is None):
        return None
    return host.name, host.checked_at, failed


def _dns(engine: Engine) -> list[Observation]:
    from cockpit.status.dns_part import dns_part

    return [o for s in dns_part(engine)[0] if (o := dns_observation(s)) is not None]


def site_observation(site: dict[str, Any]) -> Observation | None:
    name, host = str(site.get("name", "?")), site.get("host") or "?"
    corrupt = [str(t) for t in site.get("corrupt_tables") or []]
    tables = {t.get("name"): t for t in site.get("tables") or [] if isinstance(t, dict)}
    probe = f"CHECK TABLE on {host} (database {site.get('database') or '?'})"
    if corrupt:
        first = tables.get(corrupt[0], {})
        messages = [f"{m.get('type')}: {m.get('text')}" for m in first.get("messages") or [] if isinstance(m, dict)]
        evidence: dict[str, Any] = {"probe": probe, "table": corrupt[0], "check": messages,
                                    "corrupt_tables": corrupt}
        at = parse_time(first.get("checked_at")) or parse_time(site.get("checked_at"))
        return Observation(fact=f"site/{name}/tables", value="corrupt", normal="sound", kind="site.corrupt",
                           subject=name, summary=f"{name}: first corrupt table {corrupt[0]} (on {host})",
                           severity=Severity.CRITICAL, evidence=evidence, at=at or clock.now())
    if site.get("severity") == Severity.OK.value:
        return Observation(fact=f"site/{name}/tables", value="sound", normal="sound", kind="site.sound",
                           subject=name, summary=f"{name}: every table checks OK (on {host})",
                           evidence={"probe": probe, "tables_checked": site.get("tables_checked")},
                           at=parse_time(site.get("checked_at")) or clock.now())
    return None  # not checked yet, stale or unreachable: no news about corruption


def mysql_observation(site: dict[str, Any], host_answers_ssh: bool) -> Observation | None:
    """Whether a site's MySQL server answers. Said only when its host answered SSH around the failure
    (:func:`ssh_answered_after`): when SSH is down too, the host's own event says so, and one line per
    site on it would bury it."""
    name, host, state = str(site.get("name", "?")), site.get("host") or "?", site.get("state")
    fact = f"site/{name}/mysql"
    if state == "unreachable" and host_answers_ssh:
        error = str(site.get("error") or "MySQL did not answer")
        why = error if f"MySQL on {host}" in error else f"MySQL on {host}: {error}"  # as the problem list says
        return Observation(fact=fact, value="unreachable", normal="answering", kind="site.mysql-unreachable",
                           subject=name, summary=f"{name}: unreachable: {why}",
                           severity=Severity.UNKNOWN, evidence={"probe": f"MySQL on {host}", "error": error},
                           at=parse_time(site.get("error_at")) or clock.now())
    if state in ("ok", "corrupt", "unknown") and site.get("checked_at"):
        return Observation(fact=fact, value="answering", normal="answering", kind="site.mysql-back", subject=name,
                           summary=f"{name}: MySQL answering again on {host}",
                           evidence={"probe": f"MySQL on {host}"}, at=parse_time(site.get("checked_at")))
    return None  # not checked yet, a first check running, or its host is down (the host's event)


def dns_observation(site: dict[str, Any]) -> Observation | None:
    pct = site.get("propagated_percent")
    if not isinstance(pct, int | float):
        return None
    name = str(site.get("name") or site.get("site") or "?")
    expected = ", ".join(map(str, site.get("expected") or [])) or "?"
    evidence: dict[str, Any] = {"probe": "DNS queries to every nameserver and resolver", "expected": expected}
    if pct >= 100:
        return Observation(fact=f"dns/{name}/propagation", value="propagated", normal="propagated",
                           kind="dns.propagated", subject=name,
                           summary=f"{name}: DNS fully propagated ({expected})", evidence=evidence)
    wrong = [f"{a.get('server')}: {', '.join(map(str, a.get('addresses') or [])) or a.get('rcode') or '?'}"
             for a in site.get("answers") or [] if isinstance(a, dict) and not a.get("matches")]
    evidence["other_answers"] = wrong
    if site.get("done_by"):
        evidence["old_answers_gone_by"] = site["done_by"]
    sev = Severity(site["severity"]) if site.get("severity") in {s.value for s in Severity} else Severity.WARNING
    return Observation(fact=f"dns/{name}/propagation", value="pending", normal="propagated", kind="dns.pending",
                       subject=name, summary=f"{name}: DNS {pct:g}% propagated (expected {expected})",
                       severity=sev, evidence=evidence)
