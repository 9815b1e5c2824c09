"""The ``dns`` key of ``status --json`` (a contract: additions only)::

    "dns": [{"site": "acme", "name": "acme.example.test", "host": "web2", "expected": ["203.0.113.20"],
             "propagated_percent": 66.7, "authoritative_percent": 100.0, "resolver_percent": 0.0,
             "done_by": "2026-11-25T19:10:00Z", "severity": "warning", "waiting_for": [], "wrong_in_zone": [],
             "problem": null,
             "answers": [{"server": "ns2", "kind": "authoritative", "type": "A", "addresses": ["203.0.113.10"],
                          "ttl": 240, "rcode": "NOERROR", "state": "mismatch", "matches": false, "error": null,
                          "soa_serial": 2026112501, "lagging": false, "queried_at": "...",
                          "expires_at": null}]}]
"""

from __future__ import annotations

from typing import Any

from cockpit import clock
from cockpit.dns.model import Answer, DnsReport, ServerKind, SiteDns, SoaStatus


def answer_json(a: Answer, soa: dict[str, SoaStatus]) -> dict[str, Any]:
    s = soa.get(a.server.name) if a.server.kind is ServerKind.AUTHORITATIVE else None
    return {
        "server": a.server.name, "kind": a.server.kind.value, "type": a.qtype, "addresses": list(a.addresses),
        "ttl": a.ttl, "rcode": a.rcode, "state": a.state.value, "matches": a.matches, "error": a.error,
        "soa_serial": s.serial if s is not None else None, "lagging": bool(s and s.lagging),
        "queried_at": clock.iso(a.queried_at), "expires_at": clock.iso(a.expires_at),
        "negative_ttl": a.negative_ttl,
    }


def site_json(site: SiteDns, soa: dict[str, SoaStatus]) -> dict[str, Any]:
    return {
        "site": site.site, "name": site.name, "host": site.host, "expected": list(site.expected),
        "propagated_percent": site.propagated_percent, "authoritative_percent": site.authoritative_percent,
        "resolver_percent": site.resolver_percent, "done_by": clock.iso(site.done_by),
        "severity": site.severity.value, "waiting_for": list(site.waiting_for),
        "wrong_in_zone": list(site.wrong_in_zone), "problem": site.problem,
        "answers": [answer_json(a, soa) for a in site.answers],
    }


def dns_json(report: DnsReport | None) -> list[dict[str, Any]]:
    if report is None:
        return []
    soa = {s.server.name: s for s in report.soa}
    order = sorted(report.sites, key=lambda s: (-s.severity.rank, s.site))
    return [site_json(s, soa) for s in order]


def dns_meta_json(report: DnsReport | None) -> dict[str, Any] | None:
    """Fleet-level DNS facts (``dns_servers``): SOA serials and problems."""
    if report is None:
        return None
    return {
        "zone": report.zone, "swept_at": clock.iso(report.swept_at), "problems": list(report.problems),
        "nameservers": [{"server": s.server.name, "address": s.server.address, "soa_serial": s.serial,
                         "lagging": s.lagging, "error": s.error} for s in report.soa],
    }
