"""The lab's own fault kinds (services add theirs, e.g. sshd's hang-ssh).

Every fault is real where a shared-kernel lab can make it real: a real
remount, a real ext4 error, real blocks allocated, a real link down. The RAID
and kernel-log faults change the host's documented views (see
:mod:`cockpit.lab.procview` and :mod:`cockpit.lab.kmsg`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from cockpit.lab import kmsg, mounts, netns, procview
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services.base import LabContext, Service
from cockpit.lab.state import FaultRec


# -- network -------------------------------------------------------------------------
def _link_down(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    netns.set_link(host.state.veth, up=False)
    return {}


def _link_up(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    netns.set_link(host.state.veth, up=True)


# -- mounts ----------------------------------------------------------------------------
def _remount(host: HostHandle, mp: str, mode: str) -> None:
    host.exec(["mount", "-o", f"remount,{mode}", mp], privileged=True, check=True)


def _ro_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    entry = mounts.owned(host, args[0])
    mp = entry.mountpoint
    p = host.exec(["mount", "-o", "remount,ro", mp], privileged=True)
    if p.returncode == 0:
        return {"mountpoint": mp, "restarted": []}
    if b"busy" not in p.stderr.lower():
        raise LabError(f"{host.name}: mount -o remount,ro {mp}: {p.stderr.decode(errors='replace').strip()}")
    # Files open for writing: as after a reboot, the services come back on the
    # read-only filesystem (those that keep files there, or all of them for /).
    users = [s for s in host_services(host)
             if s.command(lab, host) is not None and (mp == "/" or mp in s.mounts_used)]
    for s in users:
        lab.stop_service(host, s.name)
    _remount(host, mp, "ro")
    for s in users:
        lab.start_service(host, s.name)
    return {"mountpoint": mp, "restarted": [s.name for s in users]}


def _ro_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    entry = mounts.owned(host, rec.args[0])
    if entry.read_only:
        _remount(host, entry.mountpoint, "rw")


def _fs_error_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    entry = mounts.owned(host, args[0], ext4_only=True)
    loop = host.state.loop_for(entry.mountpoint)
    assert loop is not None and loop.device is not None
    dev = os.path.basename(loop.device)
    trigger = Path(f"/sys/fs/ext4/{dev}/trigger_fs_error")
    if not trigger.exists():
        raise LabError(f"{host.name}: {trigger} does not exist (kernel without ext4 error injection)")
    trigger.write_text("1\n")
    return {"mountpoint": entry.mountpoint, "device": dev}


def repair_mount(lab: LabContext, host: HostHandle, mountpoint: str) -> None:
    """Unmount, fsck and mount a lab data mount again, stopping the services
    that keep files open on it around the repair."""
    entry = mounts.owned(host, mountpoint, ext4_only=True)
    loop = host.state.loop_for(entry.mountpoint)
    assert loop is not None and loop.device is not None
    users = [s for s in host_services(host) if entry.mountpoint in s.mounts_used]
    for s in users:
        lab.stop_service(host, s.name)
    host.exec(["umount", entry.mountpoint], privileged=True, check=True)
    p = host.exec(["e2fsck", "-fy", loop.device], privileged=True, timeout=300)
    if p.returncode >= 4:  # uncorrected: a lab disk can simply be made anew
        host.exec(["mkfs.ext4", "-q", "-F", "-m", "0", loop.device], privileged=True, check=True)
    host.exec(["mount", "-t", "ext4", "-o", "errors=remount-ro", loop.device, entry.mountpoint],
              privileged=True, check=True)
    for s in users:
        lab.start_service(host, s.name)


def _fs_error_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    repair_mount(lab, host, rec.args[0])
    # the repaired host's kernel log no longer carries that disk's errors (as after a reboot)
    with contextlib.suppress(OSError):
        kmsg.remove(host.path(kmsg.VIEW_IN_HOST), device=str(rec.data.get("device", "")))


def _fill_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    try:
        percent = float(args[1].rstrip("%"))
    except ValueError:
        raise LabError(f"fill: PERCENT must be a number, not {args[1]!r}") from None
    if not 0 < percent <= 100:
        raise LabError("fill: PERCENT must be above 0 and at most 100")
    entry = mounts.owned(host, args[0])
    size = mounts.fill(host.path(entry.mountpoint), percent)
    return {"mountpoint": entry.mountpoint, "bytes": size}


def _fill_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    entry = mounts.owned(host, rec.args[0])
    (host.path(entry.mountpoint) / mounts.FILL_FILE).unlink(missing_ok=True)


# -- RAID view -----------------------------------------------------------------------------
def _need_raid(host: HostHandle) -> None:
    if not host.state.raid:
        raise LabError(f"{host.name} has no RAID (its HostSpec has raid=False)")


def _percent(args: list[str], default: float) -> float:
    if not args:
        return default
    try:
        p = float(args[0].rstrip("%"))
    except ValueError:
        raise LabError(f"PERCENT must be a number, not {args[0]!r}") from None
    if not 0 <= p <= 100:
        raise LabError("PERCENT must be between 0 and 100")
    return p


def _raid(state: str, default: float = 0.0) -> Any:
    def apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
        _need_raid(host)
        procview.write_mdstat(host.root(), procview.mdstat(state, _percent(args, default)))
        return {}
    return apply


def _raid_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    procview.write_mdstat(host.root(), procview.mdstat("clean"))


# -- kernel log view -----------------------------------------------------------------------
def _kernel_errors(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    kmsg.append(host.path(kmsg.VIEW_IN_HOST), kmsg.IO_ERROR_LINES, source="inject")
    return {}


def _kernel_errors_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    kmsg.remove(host.path(kmsg.VIEW_IN_HOST), source="inject")


def _kmsg_bound(host: HostHandle) -> bool:
    return any(m.mountpoint == "/dev/kmsg" for m in mounts.mount_table(host))


def _unreadable(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    while _kmsg_bound(host):
        host.exec(["umount", "/dev/kmsg"], privileged=True, check=True)
    return {}


def _readable(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    if not _kmsg_bound(host):
        host.exec(["mount", "--bind", kmsg.VIEW_IN_HOST, "/dev/kmsg"], privileged=True, check=True)


CORE_FAULTS: tuple[FaultKind, ...] = (
    FaultKind("link-down", "", "take the host's link down (host-side veth)", _link_down, _link_up),
    FaultKind("ro-mount", "MOUNTPOINT", "remount a lab mount read-only (real remount in the host)",
              _ro_apply, _ro_heal, 1, 1, slot_by_first_arg=True),
    FaultKind("fs-error", "MOUNTPOINT", "real ext4 error (trigger_fs_error): emergency_ro, kernel log lines",
              _fs_error_apply, _fs_error_heal, 1, 1, slot_by_first_arg=True),
    FaultKind("fill", "MOUNTPOINT PERCENT", "allocate a file until the mount is PERCENT used",
              _fill_apply, _fill_heal, 2, 2, slot_by_first_arg=True),
    FaultKind("degrade-raid", "", "/proc/mdstat: md0 [2/1] [U_] with a failed member (F)",
              _raid("degraded"), _raid_heal, slot="raid"),
    FaultKind("resync-raid", "[PERCENT]", "/proc/mdstat: md0 resyncing (default 27.5%)",
              _raid("resync", 27.5), _raid_heal, 0, 1, slot="raid"),
    FaultKind("recover-raid", "[PERCENT]", "/proc/mdstat: md0 [U_] rebuilding onto a new disk (default 12.6%)",
              _raid("recovery", 12.6), _raid_heal, 0, 1, slot="raid"),
    FaultKind("kernel-errors", "", "I/O error lines in the host's kernel log (Buffer I/O error, EXT4-fs error...)",
              _kernel_errors, _kernel_errors_heal),
    FaultKind("kernel-log-unreadable", "", "the host's kernel log cannot be read (dmesg: EPERM)",
              _unreadable, _readable),
)


def host_services(host: HostHandle) -> list[Service]:
    from cockpit.lab.services.base import make

    return [make(s["name"], s.get("params")) for s in host.state.services]


def kinds_for(host: HostHandle) -> dict[str, FaultKind]:
    kinds = {k.name: k for k in CORE_FAULTS}
    for s in host_services(host):
        kinds.update({k.name: k for k in s.faults()})
    return kinds


def all_kinds() -> dict[str, FaultKind]:
    """Every fault kind any registered service offers (for help texts)."""
    from cockpit.lab.services.base import registered

    kinds = {k.name: k for k in CORE_FAULTS}
    for cls in registered().values():
        with contextlib.suppress(TypeError):  # a service that needs parameters
            kinds.update({k.name: k for k in cls().faults()})
    return kinds
