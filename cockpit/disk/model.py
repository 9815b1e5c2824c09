"""Disk/mount findings of one host. Field names match ``status --json`` (a contract)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.severity import Severity


@dataclass(frozen=True)
class MountEntry:
    """One line of /proc/mounts."""

    device: str
    mountpoint: str
    fstype: str
    options: tuple[str, ...]

    @property
    def read_only(self) -> bool:
        # emergency_ro: ext4 after a filesystem error on 6.x kernels shows
        # "rw,...,emergency_ro" and refuses writes. It is read-only.
        return "ro" in self.options or "emergency_ro" in self.options


@dataclass(frozen=True)
class FstabEntry:
    device: str
    mountpoint: str
    fstype: str
    options: tuple[str, ...]

    @property
    def read_only(self) -> bool:
        return "ro" in self.options

    @property
    def swap(self) -> bool:
        return self.fstype == "swap" or self.mountpoint in ("none", "swap")

    @property
    def noauto(self) -> bool:
        return "noauto" in self.options

    @property
    def nofail(self) -> bool:
        return "nofail" in self.options


@dataclass(frozen=True)
class DfEntry:
    """One line of ``df -P`` (blocks) or ``df -Pi`` (inodes)."""

    filesystem: str
    mountpoint: str
    total: int
    used: int
    available: int
    used_percent: float | None  # None when df prints "-" (no inodes, e.g. btrfs)


@dataclass(frozen=True)
class RaidArray:
    device: str  # md0
    level: str | None  # raid1
    state: str  # clean | degraded | resync | recovery | reshape | check | inactive
    members_total: int | None
    members_up: int | None
    failed_members: tuple[str, ...] = ()
    progress_percent: float | None = None
    spare_members: tuple[str, ...] = ()
    sync_action: str | None = None  # resync | recovery | reshape | check | repair
    sync_waiting: str | None = None  # "delayed" | "pending" (resync=DELAYED / resync=PENDING)
    read_only: bool = False  # "active (auto-read-only)" or "(read-only)"
    container: bool = False  # an external-metadata container (IMSM/DDF): always "inactive", normal


@dataclass(frozen=True)
class KernelLog:
    readable: bool
    count: int = 0
    latest: str | None = None
    source: str | None = None  # "dmesg" | "journalctl" | None
    error: str | None = None
    # Filled by evaluation. UNKNOWN when the log is not readable (see cockpit.disk.evaluate).
    severity: Severity = Severity.UNKNOWN
    remounted_read_only: bool = False  # a line says a filesystem was remounted/forced read-only
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class MountStatus:
    mountpoint: str
    device: str
    fstype: str
    read_only: bool
    expected_read_only: bool
    used_percent: float | None
    inodes_used_percent: float | None
    severity: Severity
    reasons: tuple[str, ...] = ()
    missing: bool = False  # expected by the inventory/fstab but not mounted
    expected_by: tuple[str, ...] = ()  # "fstab" and/or "inventory"; empty: judged by fstype


@dataclass(frozen=True)
class RaidStatus:
    device: str
    level: str | None
    members_total: int | None
    members_up: int | None
    state: str
    progress_percent: float | None
    severity: Severity
    failed_members: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    spare_members: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiskReport:
    """Everything the disk probe found on one host in one sweep."""

    mounts: tuple[MountStatus, ...] = ()
    raid: tuple[RaidStatus, ...] = ()
    kernel: KernelLog = KernelLog(readable=False)
    errors: tuple[str, ...] = field(default=())  # per-section problems (unparseable output...)
    severity: Severity = Severity.UNKNOWN
