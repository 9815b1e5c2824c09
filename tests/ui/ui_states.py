"""Engine host states for UI tests: what the engine would hold after a sweep.

These are rendering inputs (the UI's contract with the engine), not a fake
server: App-level tests that need real SSH behaviour use a real Engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cockpit.disk.model import DiskReport, KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity, worst

NOW = datetime(2026, 11, 25, 3, 0, 0, tzinfo=UTC)
CHECKED = NOW - timedelta(seconds=3)
FINGERPRINT = "SHA256:q0Fh3bX9cXr1j3tIj2mYw9V3m6Hx5m0aZ0l3z2QWm8k"


def mount(mp: str, *, sev: Severity = Severity.OK, used: float | None = 41.0, inodes: float | None = 3.0,
          ro: bool = False, expected_ro: bool = False, device: str = "/dev/md0", fstype: str = "ext4",
          reasons: tuple[str, ...] = (), missing: bool = False) -> MountStatus:
    return MountStatus(mountpoint=mp, device=device, fstype=fstype, read_only=ro, expected_read_only=expected_ro,
                       used_percent=used, inodes_used_percent=inodes, severity=sev, reasons=reasons,
                       missing=missing)


def up(name: str, *mounts: MountStatus, raid: tuple[RaidStatus, ...] = (), kernel: KernelLog | None = None,
       errors: tuple[str, ...] = (), address: str | None = None) -> HostState:
    kernel = kernel or KernelLog(readable=True, count=0, source="dmesg", severity=Severity.OK)
    sev = worst([*(m.severity for m in mounts), *(r.severity for r in raid)], default=Severity.OK)
    report = DiskReport(mounts=mounts, raid=raid, kernel=kernel, errors=errors, severity=sev)
    return HostState(name=name, address=address or f"198.18.0.{10 + len(name)}", role="primary", reach=Reach.UP,
                     disk=report, checked_at=CHECKED, disk_at=CHECKED, fingerprint=FINGERPRINT)


def down(name: str, reach: Reach, error: str, address: str = "198.18.0.99") -> HostState:
    return HostState(name=name, address=address, role="standby", reach=reach, error=error, checked_at=CHECKED)


def healthy(name: str) -> HostState:
    return up(name, mount("/"), mount("/storage", used=55.0, inodes=12.0, device="/dev/md1"))


def ro_root(name: str) -> HostState:
    """The headline case: / came back read-only after a reboot, RAID degraded, kernel I/O errors."""
    return up(
        name,
        mount("/", sev=Severity.CRITICAL, ro=True,
              reasons=("mounted read-only, fstab expects read-write",)),
        mount("/storage", sev=Severity.WARNING, used=84.0, device="/dev/md1",
              reasons=("space 84% used (warning at 80%)",)),
        raid=(RaidStatus(device="md0", level="raid1", members_total=2, members_up=1, state="degraded",
                         progress_percent=None, severity=Severity.CRITICAL, failed_members=("sdb1",),
                         reasons=("md0 degraded: 1 of 2 members up, sdb1 failed",)),),
        kernel=KernelLog(readable=True, count=3, source="dmesg", severity=Severity.CRITICAL, remounted_read_only=True,
                         latest="EXT4-fs error (device md0): ext4_find_entry:1455: inode #2: comm cron: reading "
                              "directory lblock 0"),
    )


def filling(name: str) -> HostState:
    return up(name, mount("/", used=62.0),
              mount("/storage", sev=Severity.WARNING, used=86.0, device="/dev/md1",
                    reasons=("space 86% used (warning at 80%)",)),
              raid=(RaidStatus(device="md1", level="raid1", members_total=2, members_up=2, state="resync",
                               progress_percent=45.2, severity=Severity.WARNING),),
              kernel=KernelLog(readable=False, error="dmesg: read kernel buffer failed: Operation not permitted"))


HOSTILE = "[bold red]x[/] \x1b[31mred\x1b[0m [link=http://evil]y[/link]"


def hostile(name: str) -> HostState:
    """Markup and ANSI escapes in every string the host controls."""
    return up(name, mount(f"/srv/{HOSTILE}", sev=Severity.CRITICAL, ro=True, device=f"/dev/{HOSTILE}",
                          reasons=(f"reason {HOSTILE}",)),
              kernel=KernelLog(readable=True, count=1, source="dmesg", latest=f"kernel {HOSTILE}",
                               severity=Severity.WARNING, reasons=(f"1 I/O error line: {HOSTILE}",)),
              errors=(f"df: {HOSTILE}",))


def mixed_fleet() -> dict[str, HostState]:
    hosts = [
        healthy("web2"),
        ro_root("web1"),
        down("web3", Reach.UNREACHABLE, "no answer within 12 s (connect timeout)"),
        down("db1", Reach.UNTRUSTED, "host key changed: SHA256:Zm9v... is not in known_hosts"),
        filling("mail1"),
        healthy("standby1"),
    ]
    return {h.name: h for h in hosts}
