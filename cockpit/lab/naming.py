"""Names and addresses, derived from the lab directory so two labs can coexist.

* lab id: 6 hex digits of sha256(absolute lab dir);
* bridge ``ck<id>br``, host-side veth ``ck<id>v<i>`` (at most 15 characters for
  i < 10000), namespace ``ck-<id>-<host>``, cgroup ``cockpit-lab-<id>``;
* network: ``198.18.K.0/24`` where K is 0 for the default lab dir and derived
  from the id otherwise (the next free one if taken), or ``--subnet``. The
  bridge holds the first address, host i the network address + 100 + i.
"""

from __future__ import annotations

import hashlib
import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cockpit.lab.errors import LabError

DEFAULT_DIR = Path("/tmp/cockpit-lab")  # noqa: S108 - root-only lab; the dir is created 0700
BENCH_NET = ipaddress.ip_network("198.18.0.0/15")  # RFC 2544 benchmarking range
FIRST_HOST_OFFSET = 100
IFNAMSIZ = 15


def lab_id(lab_dir: Path) -> str:
    return hashlib.sha256(str(lab_dir.resolve()).encode()).hexdigest()[:6]


@dataclass(frozen=True)
class Names:
    lab_id: str

    @property
    def bridge(self) -> str:
        return f"ck{self.lab_id}br"

    @property
    def cgroup(self) -> str:
        return f"cockpit-lab-{self.lab_id}"

    def netns(self, host: str) -> str:
        return f"ck-{self.lab_id}-{host}"

    def veth(self, index: int) -> str:
        return self._ifname(f"ck{self.lab_id}v{index}")

    def peer(self, index: int) -> str:
        return self._ifname(f"ck{self.lab_id}p{index}")

    @staticmethod
    def _ifname(name: str) -> str:
        if len(name) > IFNAMSIZ:
            raise LabError(f"interface name {name} is longer than {IFNAMSIZ} characters (too many hosts)")
        return name


def host_address(net: ipaddress.IPv4Network, index: int) -> ipaddress.IPv4Address:
    addr = net.network_address + FIRST_HOST_OFFSET + index
    if addr >= net.broadcast_address:
        raise LabError(f"host number {index} does not fit in {net} (use a larger --subnet, e.g. 198.19.0.0/20)")
    return addr


def gateway(net: ipaddress.IPv4Network) -> ipaddress.IPv4Address:
    return net.network_address + 1


def public_ip(index: int) -> str | None:
    """Documentation addresses (never contacted): 203.0.113.x, then 198.51.100.x."""
    if 1 <= index <= 254:
        return str(ipaddress.ip_address("203.0.113.0") + index)
    if 255 <= index <= 508:
        return str(ipaddress.ip_address("198.51.100.0") + index - 254)
    return None


def parse_subnet(text: str) -> ipaddress.IPv4Network:
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as e:
        raise LabError(f"--subnet {text!r}: {e}") from None
    if not isinstance(net, ipaddress.IPv4Network) or not net.subnet_of(BENCH_NET):  # type: ignore[arg-type]
        raise LabError(f"--subnet {text}: expected an IPv4 network inside {BENCH_NET} (the benchmarking range)")
    if net.prefixlen > 24:
        raise LabError(f"--subnet {text}: expected a /24 or larger")
    return net


def networks_in_use() -> list[ipaddress.IPv4Network]:
    """IPv4 networks configured on this machine's interfaces (root namespace)."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=False).stdout
    nets: list[ipaddress.IPv4Network] = []
    for line in out.splitlines():
        parts = line.split()
        if "inet" in parts:
            iface = ipaddress.ip_interface(parts[parts.index("inet") + 1])
            if isinstance(iface, ipaddress.IPv4Interface):
                nets.append(iface.network)
    return nets


def choose_subnet(lab_dir: Path, explicit: str | None, needed_hosts: int) -> ipaddress.IPv4Network:
    used = networks_in_use()
    if explicit is not None:
        net = parse_subnet(explicit)
        for u in used:
            if net.overlaps(u):
                raise LabError(f"--subnet {net} overlaps {u}, already on this machine (another lab?)")
        host_address(net, needed_hosts)
        return net
    if needed_hosts > 154:
        raise LabError(f"{needed_hosts} hosts do not fit in a /24: pass --subnet, e.g. 198.19.0.0/20")
    default = lab_dir.resolve() == DEFAULT_DIR.resolve()
    start = 0 if default else 1 + int(lab_id(lab_dir), 16) % 254
    for step in range(255):
        k = (start + step) % 255
        if k == 0 and not default:
            continue
        net = ipaddress.IPv4Network(f"198.18.{k}.0/24")
        if not any(net.overlaps(u) for u in used):
            return net
    raise LabError("no free 198.18.K.0/24 network left for the lab: pass --subnet")
