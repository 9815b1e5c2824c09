"""Assemble the whole ``status --json`` document from the engine's state."""

from __future__ import annotations

from typing import Any

from cockpit import clock
from cockpit.engine.engine import Engine
from cockpit.severity import Severity, worst
from cockpit.status.dns_part import dns_part
from cockpit.status.hosts_json import host_json
from cockpit.status.sites_json import sites_part
from cockpit.status.transfers_json import transfers_part


def status_document(engine: Engine) -> dict[str, Any]:
    hosts = list(engine.hosts.values())
    severities: list[Severity] = [h.severity for h in hosts]
    sites, sites_severity = sites_part(engine)
    severities.append(sites_severity)
    dns, dns_servers, dns_severity = dns_part(engine)
    severities.append(dns_severity)
    transfers, transfers_severity = transfers_part(engine)
    severities.append(transfers_severity)
    return {
        "generated_at": clock.iso(clock.now()),
        "severity": worst(severities).value,
        "hosts": [host_json(h) for h in hosts],
        "sites": sites,
        "dns": dns,
        **({"dns_servers": dns_servers} if dns_servers is not None else {}),
        "transfers": transfers,
    }


def exit_code(doc: dict[str, Any]) -> int:
    return Severity(doc["severity"]).exit_code
