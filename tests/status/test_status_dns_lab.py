"""`cockpit status --json` against the lab's real DNS servers: the ``dns`` part
of the contract, and its severities folded into the top-level severity and
the exit code (a site not fully propagated is a warning, one no server
resolves is critical)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.lab.services.dns_faults import _svc, flush_resolvers, retransfer_secondaries, tsig_replace

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]
ANSWER_KEYS = {"server", "kind", "addresses", "ttl", "rcode", "matches", "error", "soa_serial"}  # the issue's
SITE_KEYS = {"site", "name", "expected", "propagated_percent", "done_by", "severity", "answers"}


def test_dns_in_status_json_and_its_severity_in_the_exit_code(lab: Lab, tmp_path: Path) -> None:
    if "ns1" not in lab.hosts:
        pytest.skip("the session lab has no DNS hosts")
    inv = load_inventory(lab.inventory_path)
    assert inv.dns is not None
    fast = tmp_path / "inventory.toml"
    fast.write_text(re.sub(r"(?m)^timeout = .*$", "timeout = 1", lab.inventory_path.read_text()))
    wrong, gone = next(s for s in inv.sites if s.standby), inv.sites[-1]
    assert wrong.name != gone.name
    ns1 = lab.handle("ns1")
    gone_name, gone_ip = f"{gone.name}.{inv.dns.zone}", inv.host(gone.host).public_ip
    assert gone_ip is not None
    lab.fault(wrong.name, "dns-point", "203.0.113.250")  # a TSIG update behind the cockpit's back
    tsig_replace(lab, ns1, _svc(ns1, "primary"), gone_name, ttl=20, addresses=[])  # the name is gone
    try:
        retransfer_secondaries(lab)  # the lagging ns3 too: nobody has the name any more
        flush_resolvers(lab)
        p = subprocess.run([sys.executable, "-m", "cockpit", "status", "--inventory", str(fast), "--json"],
                           capture_output=True, text=True, timeout=120, check=False)
    finally:
        tsig_replace(lab, ns1, _svc(ns1, "primary"), gone_name, ttl=20, addresses=[gone_ip])
    doc = json.loads(p.stdout)
    sites = {s["site"]: s for s in doc["dns"]}
    assert set(sites) == {s.name for s in inv.sites}
    assert all(set(s) >= SITE_KEYS and all(set(a) >= ANSWER_KEYS for a in s["answers"]) for s in doc["dns"])
    assert [s["site"] for s in doc["dns"]][:2] == [gone.name, wrong.name]  # worst first

    g = sites[gone.name]
    assert g["severity"] == "critical" and g["propagated_percent"] == 0.0 and g["done_by"] is None
    assert {a["server"]: (a["rcode"], a["kind"]) for a in g["answers"]} == {
        "ns1": ("NXDOMAIN", "authoritative"), "ns2": ("NXDOMAIN", "authoritative"),
        "ns3": ("NXDOMAIN", "authoritative"), "res1": ("NXDOMAIN", "resolver")}

    w = sites[wrong.name]
    by = {a["server"]: a for a in w["answers"]}
    assert w["severity"] == "warning" and w["expected"] == [inv.host(wrong.host).public_ip]
    assert by["ns1"]["addresses"] == ["203.0.113.250"] and by["ns1"]["matches"] is False
    assert by["ns1"]["rcode"] == "NOERROR" and by["ns1"]["error"] is None and by["ns1"]["ttl"] == 20
    assert "ns1" in w["wrong_in_zone"] and w["waiting_for"] == []
    assert by["res1"]["kind"] == "resolver" and by["res1"]["soa_serial"] is None
    serials = {n["server"]: n for n in doc["dns_servers"]["nameservers"]}
    assert by["ns1"]["soa_serial"] == serials["ns1"]["soa_serial"] and serials["ns1"]["lagging"] is False
    assert all(s["severity"] == "ok" for n, s in sites.items() if n not in (gone.name, wrong.name))

    # hosts and sites are fine: the DNS part alone makes the fleet critical
    assert all(h["severity"] == "ok" for h in doc["hosts"]), [(h["name"], h["error"]) for h in doc["hosts"]]
    assert all(s["severity"] == "ok" for s in doc["sites"]), [(s["name"], s["severity"]) for s in doc["sites"]]
    assert doc["severity"] == "critical" and p.returncode == 2, p.stderr
