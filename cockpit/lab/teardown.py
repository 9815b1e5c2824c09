"""``lab down``: remove everything a lab made, found from its state file
(and the lab's own cgroup and loop backing files), never by process name.
Idempotent; works after a crash or a half-finished ``up``. Even without a
state file (deleted by hand), what carries the lab's own derived names (its
cgroup, its ``ck-<id>-*`` namespaces, its ``ck<id>*`` links) is removed."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

from cockpit.lab import cgroup, loopdev, naming, netns, procs
from cockpit.lab.errors import LabError
from cockpit.lab.state import STATE_FILE, ProcRef, StateStore

# what `up` creates directly in the lab dir (nothing else there is touched)
LAB_FILES = ("hosts", "client", "peer", "inventory.toml", "klogd.log", "klogd.ready", STATE_FILE,
             "mariadb",  # mariadb: the lab's datadir template (cockpit.lab.services.mariadb_conf)
             "dns")  # dns: the lab's TSIG key (cockpit.lab.services.dns_bind)


def _lab_cgroup(path: str, lab_id: str) -> Path | None:
    p = Path(path)
    if p.name != f"cockpit-lab-{lab_id}":  # never kill a cgroup that is not this lab's
        return None
    return p


def down(lab_dir: Path, echo: Callable[[str], None]) -> list[str]:
    """Remove the lab in ``lab_dir``. Returns what could NOT be removed (empty: clean)."""
    store = StateStore.load(lab_dir)
    problems: list[str] = []
    if store is None:
        problems = _down_by_names(lab_dir)
        if not problems:
            _remove_files(lab_dir)
        return problems
    st = store.state
    st.status = "down"
    store.save()

    # 1. processes: the lab cgroup first (everything, recorded or not), then recorded pids
    cg = _lab_cgroup(st.cgroup, st.lab_id)
    if cg is not None and not cgroup.kill(cg):
        problems.append(f"processes still in cgroup {cg}")
    recorded: list[ProcRef | None] = [st.klogd]
    for h in st.hosts.values():
        recorded += [h.launcher, h.init, *[s.launcher for s in h.running.values()],
                     *[s.pid for s in h.running.values()]]
    procs.kill_and_wait(recorded)
    problems += [f"process {r.pid}" for r in recorded if r is not None and procs.alive(r)]

    # 2. loop devices (released once the hosts' mount namespaces are gone)
    devices = {lp.device: lp.image for h in st.hosts.values() for lp in h.loops if lp.device}
    for dev in loopdev.devices_backed_under(lab_dir):
        devices.setdefault(dev, loopdev.backing_file(dev) or "")
    for dev, image in devices.items():
        if not loopdev.detach(dev, image or None):
            problems.append(f"loop device {dev}")

    # 3. network
    ns = [h.netns for h in st.hosts.values()]
    veths = [h.veth for h in st.hosts.values()]
    netns.delete(ns, veths, st.bridge)
    problems += [f"netns {n}" for n in ns if netns.netns_exists(n)]
    problems += [f"link {v}" for v in [*veths, st.bridge] if netns.exists(v)]

    # 4. cgroups
    if cg is not None and not cgroup.remove_tree(cg):
        problems.append(f"cgroup {cg}")

    if problems:
        store.save()
        echo(f"lab down: could not remove: {', '.join(problems)}")
        return problems
    _remove_files(lab_dir)
    return problems


def _down_by_names(lab_dir: Path) -> list[str]:
    """No state file: remove what carries this lab dir's derived names."""
    names = naming.Names(naming.lab_id(lab_dir))
    problems: list[str] = []
    with contextlib.suppress(LabError):
        cg = cgroup.cgroup2_root() / names.cgroup
        if not cgroup.kill(cg):
            problems.append(f"processes still in cgroup {cg}")
        elif not cgroup.remove_tree(cg):
            problems.append(f"cgroup {cg}")
    for dev in loopdev.devices_backed_under(lab_dir):
        if not loopdev.detach(dev, None):
            problems.append(f"loop device {dev}")
    run_netns = Path("/run/netns")
    ns = [p.name for p in run_netns.glob(f"ck-{names.lab_id}-*")] if run_netns.is_dir() else []
    links = [p.name for p in Path("/sys/class/net").glob(f"ck{names.lab_id}v*")]
    netns.delete(ns, links, names.bridge)
    problems += [f"netns {n}" for n in ns if netns.netns_exists(n)]
    problems += [f"link {x}" for x in [*links, names.bridge] if netns.exists(x)]
    return problems


def _remove_files(lab_dir: Path) -> None:
    for name in LAB_FILES:
        p = lab_dir / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    for tmp in lab_dir.glob(f".{STATE_FILE}.*.tmp"):  # a save interrupted by a crash
        tmp.unlink(missing_ok=True)
    (lab_dir / ".lock").unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: someone else's files
        lab_dir.rmdir()


def sweep_stale(parent: Path, pattern: str, echo: Callable[[str], None]) -> None:
    """Remove labs under ``parent/pattern`` whose owner process is gone (test
    labs left behind by a killed pytest)."""
    for d in sorted(parent.glob(pattern)):
        store = StateStore.load(d) if (d / STATE_FILE).exists() else None
        if store is None or store.state.owner is None or procs.alive(store.state.owner):
            continue
        echo(f"removing a stale lab in {d}")
        try:
            down(d, echo)
        except LabError as e:
            echo(f"could not remove {d}: {e}")
