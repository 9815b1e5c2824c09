"""The lab network: one bridge in the root namespace, one network namespace
and veth pair per host. Only addresses inside the lab's own subnet are used."""

from __future__ import annotations

import ipaddress
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cockpit.lab.errors import LabError


@dataclass(frozen=True)
class HostLink:
    netns: str
    veth: str  # root-namespace side, enslaved to the bridge
    peer: str  # created inside the namespace, renamed eth0 by the host's init


def _ip_batch(lines: Sequence[str], what: str, force: bool = False) -> None:
    if not lines:
        return
    argv = ["ip", "-force", "-batch", "-"] if force else ["ip", "-batch", "-"]
    p = subprocess.run(argv, input="\n".join(lines) + "\n", capture_output=True, text=True, check=False)
    if p.returncode != 0 and not force:
        msg = (p.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise LabError(f"{what}: ip: {msg}")


def create_bridge(name: str, address: ipaddress.IPv4Address, net: ipaddress.IPv4Network) -> None:
    _ip_batch([
        f"link add {name} type bridge",
        f"addr add {address}/{net.prefixlen} dev {name}",
        f"link set {name} up",
    ], f"creating bridge {name}")


def create_links(bridge: str, links: Sequence[HostLink]) -> None:
    """All namespaces and veth pairs in one ``ip -batch`` (fast at 1,000 hosts)."""
    lines: list[str] = []
    for lk in links:
        lines += [
            f"netns add {lk.netns}",
            f"link add {lk.veth} type veth peer name {lk.peer} netns {lk.netns}",
            f"link set {lk.veth} master {bridge} up",
        ]
    _ip_batch(lines, "creating host network namespaces")


NEIGH_DIR = Path("/proc/sys/net/ipv4/neigh/default")


def fit_neighbour_table(hosts: int) -> str | None:
    """Raise (never lower) the root namespace's ARP table limit so that ``hosts`` more
    neighbours fit, with the ones already there (other labs): past ``gc_thresh3``
    (1,024 by default) the kernel logs "neighbor table overflow" and connects to
    hosts fail with "no route to host" or time out. Returns what was changed."""
    try:
        entries = max(0, len(Path("/proc/net/arp").read_text().splitlines()) - 1)
        thresh3 = int((NEIGH_DIR / "gc_thresh3").read_text())
        thresh2 = int((NEIGH_DIR / "gc_thresh2").read_text())
    except (OSError, ValueError):
        return None
    need = 2 * (entries + hosts)
    if need <= thresh3:
        return None
    want = -(-need // 1024) * 1024
    try:
        (NEIGH_DIR / "gc_thresh3").write_text(str(want))
        if thresh2 < want // 2:
            (NEIGH_DIR / "gc_thresh2").write_text(str(want // 2))
    except OSError as e:
        raise LabError(f"cannot raise net.ipv4.neigh.default.gc_thresh3 to {want} for {hosts} hosts: {e}") from None
    return f"raised net.ipv4.neigh.default.gc_thresh3 from {thresh3} to {want} (the ARP table must hold every host)"


def set_link(veth: str, up: bool) -> None:
    p = subprocess.run(["ip", "link", "set", veth, "up" if up else "down"], capture_output=True, text=True,
                       check=False)
    if p.returncode != 0:
        raise LabError(f"ip link set {veth}: {p.stderr.strip()}")


def link_is_up(veth: str) -> bool:
    try:
        flags = int(Path(f"/sys/class/net/{veth}/flags").read_text(), 16)
    except OSError:
        return False
    return bool(flags & 1)


def exists(ifname: str) -> bool:
    return Path(f"/sys/class/net/{ifname}").exists()


def netns_exists(name: str) -> bool:
    return Path(f"/run/netns/{name}").exists()


def delete(netns: Sequence[str], links: Sequence[str], bridge: str | None) -> None:
    """Best effort, idempotent: missing things are fine."""
    lines = [f"netns del {n}" for n in netns if netns_exists(n)]
    lines += [f"link del {v}" for v in links if exists(v)]
    if bridge and exists(bridge):
        lines.append(f"link del {bridge}")
    _ip_batch(lines, "removing the lab network", force=True)
