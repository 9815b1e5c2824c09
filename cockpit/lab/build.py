"""``lab up``: build the fleet. Everything is recorded in the state file
before (or right as) it is created, so a crash at any point can be cleaned up."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.lab import cgroup, hostinit, keys, loopdev, naming, netns, procs, procview
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.klogd import READY_FILE
from cockpit.lab.spec import FleetSpec, HostSpec
from cockpit.lab.state import HostState, LabState, LoopRec
from cockpit.wording import count

if TYPE_CHECKING:
    from cockpit.lab.lab import Lab

BOOT_TIMEOUT = 60.0
READY_TIMEOUT = 30.0


def new_state(lab_dir: Path, spec: FleetSpec, cgroup_root: Path) -> LabState:
    names = naming.Names(naming.lab_id(lab_dir))
    net = naming.choose_subnet(lab_dir, spec.subnet, len(spec.hosts))
    st = LabState(dir=str(lab_dir), lab_id=names.lab_id, subnet=str(net), gateway=str(naming.gateway(net)),
                  bridge=names.bridge, cgroup=str(cgroup_root / names.cgroup))
    for i, hs in enumerate(spec.hosts, 1):
        hostdir = lab_dir / "hosts" / hs.name
        st.hosts[hs.name] = HostState(
            name=hs.name, index=i, role=hs.role, address=str(naming.host_address(net, i)),
            public_ip=hs.public_ip or naming.public_ip(i), netns=names.netns(hs.name), veth=names.veth(i),
            peer=names.peer(i), hostdir=str(hostdir), raid=hs.raid, cgroup=str(cgroup_root / names.cgroup / hs.name),
            services=[{"name": s.name, "params": s.params()} for s in hs.services],
            loops=[LoopRec(m.mountpoint, str(hostdir / f"data{m.mountpoint.replace('/', '-')}.img"), m.size_mb)
                   for m in hs.mounts],
        )
    return st


def start_klogd(lab: Lab) -> None:
    """Spawn the kernel log router (see :func:`wait_klogd`)."""
    st = lab.state
    cg = Path(st.cgroup) / "klogd"
    cgroup.create(cg)
    pkg_parent = Path(__file__).resolve().parents[2]
    env = {**procs.SERVICE_ENV, "PYTHONPATH": str(pkg_parent)}
    (lab.dir / READY_FILE).unlink(missing_ok=True)
    ref = procs.spawn([sys.executable, "-m", "cockpit.lab.klogd", str(lab.dir)], lab.dir / "klogd.log",
                      cg / "cgroup.procs", env=env)
    with lab.store.lock():
        st.klogd = ref
        lab.store.save()


def wait_klogd(lab: Lab) -> None:
    ref = lab.state.klogd
    assert ref is not None
    if not procs.wait_until(lambda: (lab.dir / READY_FILE).exists() or not procs.alive(ref), 15.0) \
            or not procs.alive(ref):
        raise LabError(f"the kernel log router did not start: {procs.tail(lab.dir / 'klogd.log')}")


def make_keys(lab: Lab) -> None:
    keys.write_keypair(lab.dir / "client" / "id_ed25519", "cockpit-lab-client")
    keys.write_keypair(lab.dir / "peer" / "id_ed25519", "cockpit-lab-peer")
    for h in lab.state.hosts.values():
        keys.write_keypair(lab.host_key_path(h.name), f"root@{h.name}")
    (lab.dir / "client" / "known_hosts").write_text(lab.known_hosts_text())


def _seed_base(lab: Lab, host: HostHandle) -> None:
    st, lab_st = host.state, lab.state
    os.chmod(host.seed("/root/.bashrc").parent, 0o700)
    host.seed("/root/.bashrc").write_text("")  # root's real .bashrc runs pyenv init: ~95 ms per ssh command
    host.seed("/etc/hostname").write_text(st.name + "\n")
    hosts = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback",
             *[f"{h.address}\t{h.name}" for h in lab_st.hosts.values()]]
    host.seed("/etc/hosts").write_text("\n".join(hosts) + "\n")
    fstab = [f"# {st.name}: what should be mounted, and how (the lab made these)",
             f"lab-root-{st.name}\t/\toverlay\trw\t0 0",
             *[f"{lp.device}\t{lp.mountpoint}\text4\trw,errors=remount-ro\t0 2" for lp in st.loops]]
    host.seed("/etc/fstab").write_text("\n".join(fstab) + "\n")


def build_host(lab: Lab, hs: HostSpec) -> None:
    st = lab.state.hosts[hs.name]
    host = lab.handle(hs.name, running=False)
    host.dir.mkdir(parents=True, exist_ok=True)
    for lp in st.loops:
        loopdev.make_image(Path(lp.image), lp.size_mb, f"{hs.name}{lp.mountpoint}".replace("/", "-"))
        device = loopdev.attach(Path(lp.image))
        with lab.store.lock():
            lp.device = device
            lab.store.save(hs.name)
    _seed_base(lab, host)
    for svc in hs.services:
        svc.prepare(lab, host)
    script = hostinit.render(host, lab_id=lab.state.lab_id, prefix=lab.network.prefixlen,
                             gateway=lab.state.gateway, root_size_mb=hs.root_size_mb, pid_max=hs.pid_max,
                             mdstat=procview.mdstat("clean"))
    hostinit.boot(lab.store, host, script, BOOT_TIMEOUT)
    for svc in hs.services:
        svc.setup(lab, host)
        lab.start_service(host, svc.name, svc)


def build(lab: Lab, spec: FleetSpec, echo: Callable[[str], None]) -> float:
    t0 = time.monotonic()
    st = lab.state
    cgroup.create(Path(st.cgroup))
    lab.store.save()
    start_klogd(lab)  # Python start-up (~0.3 s) overlaps the keys and links
    make_keys(lab)
    with lab.store.lock():
        st.bridge_created = True  # intent first: down removes it if it exists
        lab.store.save()
    netns.create_bridge(st.bridge, lab.network.network_address + 1, lab.network)
    netns.create_links(st.bridge, [netns.HostLink(h.netns, h.veth, h.peer) for h in st.hosts.values()])
    raised = netns.fit_neighbour_table(len(st.hosts))
    if raised:
        echo(raised)
    wait_klogd(lab)
    workers = max(1, min(8, len(spec.hosts)))
    with ThreadPoolExecutor(workers, thread_name_prefix="lab-host") as pool:
        futures = [pool.submit(build_host, lab, hs) for hs in spec.hosts]
        errors = [f.exception() for f in futures]
    failed = [e for e in errors if e is not None]
    if failed:
        first = failed[0]
        if isinstance(first, LabError):
            more = f" (and {count(len(failed) - 1, 'more host error')})" if len(failed) > 1 else ""
            raise LabError(f"{first}{more}")
        raise first
    lab.write_inventory()
    with lab.store.lock():
        st.status = "up"
        lab.store.save()
    return time.monotonic() - t0
