"""Capture real DNS responses from a lab (BIND 9) into tests/data/dns/*.bin.

Run as root from the repository (it builds and removes its own lab)::

    .venv/bin/python tests/data/dns/capture.py

Each file is one response in DNS wire format, exactly as the server sent it;
``README.md`` lists what each one is.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rdatatype

from cockpit.lab import FleetSpec, HostSpec, Lab
from cockpit.lab.dns_fleet import with_dns
from cockpit.lab.services.dns_bind import BindDns
from cockpit.lab.services.dns_faults import _svc, tsig_replace

OUT = Path(__file__).parent
MANY = [f"203.0.113.{i}" for i in range(1, 61)]  # too many for a 512-byte UDP answer (BIND allows 100)



def raw(addr: str, name: str, qtype: str, *, rd: bool, edns: bool = True, tcp: bool = False) -> bytes:
    import socket
    import struct

    q = dns.message.make_query(name, dns.rdatatype.from_text(qtype), use_edns=0 if edns else False)
    if not rd:
        q.flags &= ~dns.flags.RD
    q.id = 4242
    w = q.to_wire()
    if tcp:
        with socket.create_connection((addr, 53), timeout=5) as s:
            s.sendall(struct.pack("!H", len(w)) + w)
            n = struct.unpack("!H", s.recv(2))[0]
            data = b""
            while len(data) < n:
                data += s.recv(n - len(data))
            return data
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(w, (addr, 53))
        return s.recv(65535)


def main() -> int:
    lab = Lab(tempfile.mkdtemp(prefix="cockpit-lab-dnscap-", dir="/tmp"))
    lab.up(with_dns(FleetSpec((HostSpec("web1"), HostSpec("standby1", role="standby")))), echo=lambda m: None)
    try:
        a = {h: lab.address(h) for h in ("ns1", "ns2", "ns3", "res1")}
        site = "web1-site.example.test"
        files = {
            "auth_match.bin": raw(a["ns1"], site, "A", rd=False),
            "auth_nodata_aaaa.bin": raw(a["ns1"], site, "AAAA", rd=False),
            "auth_nxdomain.bin": raw(a["ns1"], "nosuch.example.test", "A", rd=False),
            "auth_refused_other_zone.bin": raw(a["ns1"], "www.example.org", "A", rd=False),
            "auth_soa.bin": raw(a["ns2"], "example.test", "SOA", rd=False),
            "resolver_first.bin": raw(a["res1"], site, "A", rd=True),
            "resolver_nxdomain.bin": raw(a["res1"], "nosuch.example.test", "A", rd=True),
        }
        import time

        time.sleep(2.2)
        files["resolver_cached.bin"] = raw(a["res1"], site, "A", rd=True)
        ns1 = lab.handle("ns1")
        svc: BindDns = _svc(ns1, "primary")
        tsig_replace(lab, ns1, svc, "big.example.test", ttl=60, addresses=MANY)
        files["auth_truncated_udp.bin"] = raw(a["ns1"], "big.example.test", "A", rd=False, edns=False)
        files["auth_big_tcp.bin"] = raw(a["ns1"], "big.example.test", "A", rd=False, edns=False, tcp=True)
        lab.fault("res1", "servfail")
        files["resolver_servfail.bin"] = raw(a["res1"], site, "A", rd=True)
        for name, data in files.items():
            (OUT / name).write_bytes(data)
            print(name, len(data))
    finally:
        lab.down(echo=lambda m: None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
