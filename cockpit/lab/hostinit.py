"""Boot one lab host: network + mount + UTS + PID namespaces, its own root.

The host's init (``init.sh``, run by ``ip netns exec NS unshare --mount --uts
--pid --fork``) configures ``eth0``, sets the hostname, and builds the host's
own root filesystem before ``pivot_root`` into it:

* ``/``: an overlay (``lab-root-<host>``) whose lower layer is the machine's
  root and whose writable layer is a tmpfs of the host's own. Whatever a host
  writes (``/etc``, ``/var``, ``/root/.bashrc``...) stays on that host, and
  ``mount -o remount,ro /`` on it changes only its overlay, never the
  machine's root. ``/etc/fstab``, ``/etc/hosts``, an empty ``/root/.bashrc``
  (root's real one runs ``pyenv init``: ~95 ms per ssh command) and
  ``/root/.ssh`` are the host's own files, copied in from ``seed/``.
* ``/dev``: a tmpfs with the usual devices, its own devpts and the host's own
  loop devices only (root on a host cannot reach the machine's disk);
  ``/dev/kmsg`` bound to the host's kernel log view (:mod:`cockpit.lab.kmsg`);
* ``/sys``: the network namespace's sysfs, read-only; ``/proc``: the PID
  namespace's procfs (through :mod:`cockpit.lab.procview` for RAID hosts) with
  ``/proc/sys`` and ``/proc/sysrq-trigger`` read-only (no global sysctls);
* ``/run`` and ``/tmp``: private tmpfs.
* each data mount: the host's own loop device, ext4, ``errors=remount-ro``.

Then it becomes the PID namespace's reaper (``while :; do sleep & wait;
done``, which reaps orphans), so killing it from outside kills the whole host.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from cockpit.lab import cgroup, procs
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.kmsg import VIEW_IN_HOST
from cockpit.lab.state import StateStore


def ready_marker(lab_id: str, host: str) -> str:
    return f"/run/.lab/booted-{lab_id}-{host}"


def _read_only_proc(proc: str) -> list[str]:
    """The kernel's global knobs stay out of a host's reach: sysctls and sysrq."""
    return [f'mount --bind -o ro "{proc}/sys" "{proc}/sys"',
            f'if [ -e "{proc}/sysrq-trigger" ]; then '
            f'mount --bind -o ro "{proc}/sysrq-trigger" "{proc}/sysrq-trigger"; fi']


def render(host: HostHandle, *, lab_id: str, prefix: int, gateway: str, root_size_mb: int,
           pid_max: int, mdstat: str) -> str:
    """The init script. Each external command costs ~8 ms here (fork+exec in a
    VM), so shell builtins and batched commands are used where they can be."""
    st = host.state
    q = shlex.quote
    mps = " ".join(f'"$R"{q(lp.mountpoint)}' for lp in st.loops)
    loops = " ".join(q(lp.device) for lp in st.loops if lp.device)
    lines = [
        "set -eu",
        # COCKPIT_LAB_TRACE=1: each step of the boot, timed, in hosts/NAME/init.log
        *(["PS4='+ $EPOCHREALTIME '", "set -x"] if os.environ.get("COCKPIT_LAB_TRACE") else []),
        f"H={q(str(host.dir))}; R=$H/root; L=$H/rootfs",
        "ip -batch - <<'EOF'",
        f"link set {st.peer} name eth0",
        f"addr add {st.address}/{prefix} dev eth0",
        "link set lo up",
        "link set eth0 up",
        f"route add default via {gateway}",
        "EOF",
        f"echo {q(st.name)} > /proc/sys/kernel/hostname",
        f'mount -t tmpfs -o size={root_size_mb}m,mode=700 lab-rootfs-{st.name} "$L"',
        'mkdir -p "$L/upper" "$L/work"',
        f'mount -t overlay lab-root-{st.name} -o lowerdir=/,upperdir="$L/upper",workdir="$L/work" "$R"',
        # a /dev of the host's own: no machine disk in it (root on a host must not
        # reach /dev/vda), only the usual devices and the host's loop devices
        'mount -t tmpfs -o mode=755,size=1m,nosuid dev "$R/dev"',
        f"cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/kmsg /dev/fd /dev/stdin "
        f'/dev/stdout /dev/stderr {loops} "$R/dev/"',
        'mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"',
        'mount -t tmpfs -o mode=755,size=64m tmpfs "$R/run"',
        'mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"',
        f'mkdir -p "$R/run/.lab/proc" "$R/run/lab" "$R/run/sshd" "$R/run/lock" "$R/.lab-oldroot" '
        f'"$R/dev/pts" "$R/dev/shm" {mps}',
        'mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$R/dev/pts"',
        'ln -s pts/ptmx "$R/dev/ptmx"',
        'mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"',
    ]
    if st.raid:
        lines += [
            'mount -t proc -o nosuid,nodev,noexec proc "$R/run/.lab/proc"',
            f'echo {pid_max} > "$R/run/.lab/proc/sys/kernel/pid_max"',
            *_read_only_proc("$R/run/.lab/proc"),
            'mount -t tmpfs -o mode=555,size=8m procview "$R/proc"',
            # one symlink per real entry and per possible pid, in one ln
            f"{{ ls -1 \"$R/run/.lab/proc\" | grep -v '^[0-9][0-9]*$'; seq 1 {pid_max - 1}; }} "
            "| sed 's|^|/run/.lab/proc/|' | xargs ln -s -t \"$R/proc\"",
            f'printf %s {q(mdstat)} > "$R/proc/mdstat"',
        ]
    else:
        lines += ['mount -t proc -o nosuid,nodev,noexec proc "$R/proc"', *_read_only_proc("$R/proc")]
    lines += [
        f': > "$R{VIEW_IN_HOST}"',
        f'mount --bind "$R{VIEW_IN_HOST}" "$R/dev/kmsg"',
    ]
    for lp in st.loops:
        if lp.device is None:
            raise LabError(f"{st.name}: {lp.mountpoint} has no loop device")
        lines.append(f'mount -t ext4 -o errors=remount-ro {q(lp.device)} "$R"{q(lp.mountpoint)}')
    lines += [
        'cd "$R"',
        "pivot_root . .lab-oldroot",
        "cd /",
        # Seeds are copied in AFTER pivot_root: an absolute symlink in the host's root (Debian's
        # /etc/mysql/my.cnf -> /etc/alternatives/my.cnf) must resolve in the host, never on the machine.
        'cp -a "/.lab-oldroot$H/seed/." /',
        "umount -l /.lab-oldroot",
        "rmdir /.lab-oldroot",
        f": > {q(ready_marker(lab_id, st.name))}",
        "exec /bin/sh -c 'while :; do sleep 2147483647 & wait; done'",
    ]
    return "\n".join(lines) + "\n"


def boot(store: StateStore, host: HostHandle, script: str, timeout: float = 60.0) -> None:
    """Start the host's init and wait until it has pivoted into its root."""
    st = host.state
    path = host.dir / "init.sh"
    path.write_text(script)
    for d in ("root", "rootfs"):
        (host.dir / d).mkdir(exist_ok=True)
    cg = host.cgroup("init")
    cgroup.create(cg)
    log = host.dir / "init.log"
    argv = ["ip", "netns", "exec", st.netns, "unshare", "--mount", "--uts", "--pid", "--fork", "--kill-child",
            "--propagation", "private", "/bin/bash", str(path)]
    launcher = procs.spawn(argv, log, cg / "cgroup.procs")
    with store.lock():
        st.launcher = launcher
        store.save(st.name)

    def init_found() -> bool:
        for pid in cgroup.procs_of(cg):
            if procs.ppid(pid) == launcher.pid:
                st.init = procs.ref(pid)
                return st.init is not None
        return not procs.alive(launcher)

    procs.wait_until(init_found, timeout)
    if st.init is None:
        raise LabError(f"lab host {st.name} did not boot: {procs.tail(log) or 'no output'}")
    with store.lock():
        store.save(st.name)
    marker = Path(f"/proc/{st.init.pid}/root") / ready_marker(store.state.lab_id, st.name).lstrip("/")
    init = st.init
    if not procs.wait_until(lambda: marker.exists() or not procs.alive(init), timeout):
        raise LabError(f"lab host {st.name} did not finish booting in {timeout:g} s: {procs.tail(log)}")
    if not procs.alive(init):
        raise LabError(f"lab host {st.name} failed to boot: {procs.tail(log) or 'no output'}")
