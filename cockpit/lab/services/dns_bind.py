"""Real BIND 9 servers on lab hosts: a primary taking TSIG-signed RFC 2136
updates, secondaries (one following at once, one lagging) and a caching
recursive resolver. See :mod:`cockpit.lab.services.dns_conf` for the roles and
:mod:`cockpit.lab.services.dns_faults` for their faults.

named runs in the foreground (``-g``, logging to the service's output file)
as the host's root, from ``/etc/bind/lab`` (config and keys) and
``/var/lib/bind/lab`` (zone files and the update journal).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import time
from pathlib import Path
from typing import Any

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from cockpit.lab import procs
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services import dns_conf, dns_zone
from cockpit.lab.services.base import LabContext, Service, register

NAMED = "/usr/sbin/named"
RNDC = "/usr/sbin/rndc"
KEY_NAME = "cockpit-key"
ALGORITHM = "hmac-sha256"
NEGATIVE_TTL = 60


def tsig_key_path(lab: LabContext) -> Path:
    """The lab's TSIG key, a BIND key file the inventory points at (``[dns.update] key_file``)."""
    return lab.dir / "dns" / "tsig.key"


def _random_secret() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def dns_services(lab: LabContext) -> list[tuple[str, BindDns]]:
    """(host name, service) for every lab host running named, in host order."""
    from cockpit.lab.services.base import make

    out = []
    for h in sorted(lab.state.hosts.values(), key=lambda h: h.index):
        for rec in h.services:
            if rec["name"] == BindDns.name:
                s = make(rec["name"], rec.get("params"))
                assert isinstance(s, BindDns)
                out.append((h.name, s))
    return out


@register
@dataclasses.dataclass(frozen=True)
class BindDns(Service):
    """``role``: primary | secondary | lagging | resolver. ``primary``, ``notify`` and
    ``upstream`` name lab hosts; ``sites`` are the zone's sites when no other
    service gives the lab any (``[{"name", "host", "standby"?}]``)."""

    name = "named"
    packages = ("bind9", "bind9-utils", "bind9-dnsutils")
    tools = (NAMED, RNDC)

    role: str = "primary"
    zone: str = "example.test"
    ttl: int = 60
    primary: str = ""
    notify: tuple[str, ...] = ()
    upstream: tuple[str, ...] = ()
    sites: tuple[dict[str, Any], ...] = ()

    def __post_init__(self) -> None:  # parameters come back from the lab state as JSON lists
        for f in ("notify", "upstream"):
            object.__setattr__(self, f, tuple(getattr(self, f)))
        object.__setattr__(self, "sites", tuple(dict(s) for s in self.sites))

    # -- configuration --------------------------------------------------------------
    def conf_text(self, lab: LabContext, faults: tuple[str, ...] = ()) -> str:
        hosts = lab.state.hosts

        def addr(name: str) -> str:
            if name not in hosts:
                raise LabError(f"DNS service: no lab host {name!r}")
            return hosts[name].address

        return dns_conf.render(self.role, self.zone, primary=addr(self.primary) if self.primary else "",
                               notify=[addr(n) for n in self.notify], upstream=[addr(n) for n in self.upstream],
                               allow_transfer=lab.state.subnet, faults=faults)

    def nameservers(self, lab: LabContext) -> list[tuple[str, str]]:
        return [(h, lab.state.hosts[h].address) for h, s in dns_services(lab) if s.role != "resolver"]

    def zone_text(self, lab: LabContext) -> str:
        sites = dns_zone.lab_sites(lab, self.sites)
        return dns_zone.render(self.zone, ttl=self.ttl, negative_ttl=NEGATIVE_TTL, nameservers=self.nameservers(lab),
                               records=dns_zone.site_records(lab, self.zone, sites))

    # -- lifecycle --------------------------------------------------------------------
    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        if self.role not in dns_conf.ROLES:
            raise LabError(f"{host.name}: DNS role {self.role!r} is not one of {', '.join(dns_conf.ROLES)}")
        host.seed(dns_conf.CONF).write_text(self.conf_text(lab))
        host.seed(dns_conf.RNDC_KEY).write_text(dns_conf.key_text("rndc-key", ALGORITHM, _random_secret()))
        os.chmod(host.seed(dns_conf.RNDC_KEY), 0o600)
        var = host.seed(f"{dns_conf.VAR}/{dns_conf.ZONE_FILE}").parent
        if self.role == "primary":
            key = tsig_key_path(lab)
            key.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not key.exists():
                fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(dns_conf.key_text(KEY_NAME, ALGORITHM, _random_secret()))
            host.seed(dns_conf.TSIG_KEY).write_text(key.read_text())
            os.chmod(host.seed(dns_conf.TSIG_KEY), 0o600)
            (var / dns_conf.ZONE_FILE).write_text(self.zone_text(lab))
        elif self.role == "resolver":
            (var / dns_conf.ROOT_FILE).write_text(dns_zone.root_zone(host.name, host.address))

    def setup(self, lab: LabContext, host: HostHandle) -> None:
        host.exec(["mkdir", "-p", "/run/named"], check=True)

    def command(self, lab: LabContext, host: HostHandle) -> list[str]:
        return [NAMED, "-g", "-c", dns_conf.CONF]

    def stop(self, lab: LabContext, host: HostHandle) -> None:
        """``rndc stop`` first (named writes its zone files and journals, as a clean
        shutdown does), then the cgroup is killed whatever is left."""
        rec = host.state.running.get(self.name)
        if rec is not None and procs.alive(rec.pid):
            with contextlib.suppress(LabError):  # it does not answer rndc: the kill below
                rndc(host, "stop", check=False, timeout=5)
            procs.wait_until(lambda: not procs.alive(rec.pid), 5.0)
        host.kill_service(self.name)

    def probe(self, host: HostHandle) -> int | None:
        """The rcode of a SOA query for the zone (the root for a resolver); None: no answer."""
        qname = "." if self.role == "resolver" else self.zone
        try:
            r = dns.query.udp(dns.message.make_query(qname, dns.rdatatype.SOA), host.address, timeout=0.5)
        except (dns.exception.DNSException, OSError):
            return None
        return r.rcode()

    def wait_ready(self, lab: LabContext, host: HostHandle, timeout: float) -> None:
        rec = host.state.running.get(self.name)
        deadline = time.monotonic() + timeout
        nudge = time.monotonic() + 1.0
        last: int | None = None
        while time.monotonic() < deadline:
            if rec is not None and not procs.alive(rec.pid):
                raise LabError(f"{host.name}: named exited: {procs.tail(host.dir / 'named.out') or 'no output'}")
            last = self.probe(host)
            if last == dns.rcode.NOERROR:
                return
            if self.role in ("secondary", "lagging") and time.monotonic() > nudge:
                # the primary may have come up after our first transfer attempt
                rndc(host, "retransfer", self.zone, check=False)
                nudge = time.monotonic() + 1.0
            time.sleep(0.05)
        what = "no answer" if last is None else dns.rcode.to_text(dns.rcode.Rcode(last))
        raise LabError(f"{host.name}: named does not serve {self.zone} on {host.address}:53 ({what}); "
                       f"see {host.dir / 'named.out'}")

    # -- inventory ----------------------------------------------------------------------
    def fleet_inventory(self, lab: LabContext) -> dict[str, Any]:
        if self.role != "primary":
            return {}
        hosts = lab.state.hosts
        servers = dns_services(lab)
        data: dict[str, Any] = {"dns": {
            "zone": self.zone,
            "nameservers": [{"name": h, "address": hosts[h].address} for h, s in servers if s.role != "resolver"],
            "resolvers": [{"name": h, "address": hosts[h].address} for h, s in servers if s.role == "resolver"],
            "timeout": 2,
            "update": {"server": hosts[next(h for h, s in servers if s.role == "primary")].address,
                       "port": 53, "key_name": KEY_NAME, "key_file": str(tsig_key_path(lab)),
                       "algorithm": ALGORITHM},
        }}
        if not dns_zone.discovering() and not dns_zone.inventory_sites(lab):
            data["sites"] = [dict(s) for s in self.sites] or dns_zone.fallback_sites(lab)
        return data

    def faults(self) -> tuple[FaultKind, ...]:
        from cockpit.lab.services.dns_faults import FAULTS

        return FAULTS


def rndc(host: HostHandle, *args: str, check: bool = True, timeout: float = 15.0) -> str:
    p = host.exec([RNDC, "-k", dns_conf.RNDC_KEY, "-s", "127.0.0.1", "-p", "953", *args], timeout=timeout)
    out = (p.stdout + p.stderr).decode(errors="replace").strip()
    if check and p.returncode != 0:
        raise LabError(f"{host.name}: rndc {' '.join(args)} failed: {out or p.returncode}")
    return out
