"""What the disk sweep reports to the timeline, per host state."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.disk.model import DiskReport, KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity
from cockpit.timeline.disk_facts import host_observations

AT = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def mount(mp: str, *, ro: bool = False, expected_ro: bool = False, missing: bool = False) -> MountStatus:
    return MountStatus(mountpoint=mp, device="/dev/loop3", fstype="ext4", read_only=ro, expected_read_only=expected_ro,
                       used_percent=10.0, inodes_used_percent=1.0,
                       severity=Severity.CRITICAL if (ro and not expected_ro) or missing else Severity.OK,
                       reasons=("read-only after a filesystem error (emergency_ro)",) if ro else (),
                       missing=missing, expected_by=("fstab",))


def host(reach: Reach = Reach.UP, disk: DiskReport | None = None, error: str | None = None) -> HostState:
    return HostState(name="web1", address="198.18.0.101", role="primary", reach=reach, error=error, disk=disk,
                     checked_at=AT, disk_at=AT if reach is Reach.UP else None)


def facts(h: HostState) -> dict[str, tuple[str, str]]:
    return {o.fact: (o.value, o.kind) for o in host_observations(h)}


def test_a_host_that_did_not_answer_says_nothing_about_its_old_disks() -> None:
    stale = DiskReport(mounts=(mount("/srv", ro=True),), severity=Severity.CRITICAL)
    assert facts(host(Reach.UNREACHABLE, stale, "no answer within 12 s")) == {
        "host/web1/reach": ("unreachable", "host.unreachable")}
    assert facts(host(Reach.PENDING)) == {}


def test_mounts_raid_and_kernel_values() -> None:
    report = DiskReport(
        mounts=(mount("/"), mount("/srv", ro=True), mount("/cdrom", ro=True, expected_ro=True),
                mount("/storage", missing=True)),
        raid=(RaidStatus("md0", "raid1", 2, 2, "check", 40.0, Severity.OK),
              RaidStatus("md1", "raid1", 2, 1, "degraded", None, Severity.CRITICAL)),
        kernel=KernelLog(readable=True, count=2, latest="EXT4-fs error (device loop3)", source="dmesg",
                         severity=Severity.CRITICAL, remounted_read_only=True),
        severity=Severity.CRITICAL)
    assert facts(host(disk=report)) == {
        "host/web1/reach": ("up", "host.back"),
        "host/web1/mount//": ("ok", "mount.ok"),
        "host/web1/mount//srv": ("read-only", "mount.read-only"),
        "host/web1/mount//cdrom": ("ok", "mount.ok"),  # read-only as expected is fine
        "host/web1/mount//storage": ("missing", "mount.missing"),
        "host/web1/raid/md0": ("clean", "raid.clean"),  # a routine check is not an incident
        "host/web1/raid/md1": ("degraded", "raid.degraded"),
        "host/web1/kernel": ("read-only-remount", "kernel.read-only-remount"),
    }
    ro = next(o for o in host_observations(host(disk=report)) if o.fact == "host/web1/mount//srv")
    assert ro.evidence["mount"] == "/dev/loop3 /srv ext4 ro" and ro.evidence["expected_by"] == ["fstab"]
    kernel = next(o for o in host_observations(host(disk=report)) if o.kind.startswith("kernel"))
    assert kernel.evidence == {"probe": "dmesg on 198.18.0.101 (disk sweep over SSH)", "count": 2,
                               "line": "EXT4-fs error (device loop3)"}


def test_an_unreadable_kernel_log_is_not_a_change() -> None:
    report = DiskReport(kernel=KernelLog(readable=False, error="EPERM"), severity=Severity.OK)
    assert "host/web1/kernel" not in facts(host(disk=report))
