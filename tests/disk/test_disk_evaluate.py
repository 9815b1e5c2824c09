"""From parsed sections and the inventory host to findings and severities."""

from __future__ import annotations

import json

import pytest
from diskdata import assert_safe, data

from cockpit.disk.command import STDOUT_LIMIT
from cockpit.disk.evaluate import evaluate, report_from_output
from cockpit.disk.inputs import read_sections
from cockpit.disk.model import DiskReport, MountStatus
from cockpit.disk.sections import Section, split_sections
from cockpit.disk.to_json import kernel_json, mount_json, raid_json
from cockpit.inventory.model import Host, Thresholds
from cockpit.severity import Severity

B = "/tmp/cockpit-capture"
HOST = Host(name="web1", address="198.18.0.101")


def sec(name: str, body: bytes = b"", rc: int | None = 0, err: bytes = b"") -> Section:
    return Section(name, body, err, rc)


def faults(**override: Section) -> dict[str, Section]:
    s = {
        "mounts": sec("mounts", data("machine/proc_mounts_faults.txt")),
        "fstab": sec("fstab", data("machine/fstab_composed_faults.txt")),
        "df": sec("df", data("machine/df_P_faults.txt")),
        "dfi": sec("dfi", data("machine/df_Pi_faults.txt")),
        "mdstat": Section("mdstat", absent=True),
        "dmesg": sec("dmesg", data("kernel/dmesg_err_root.txt")),
    }
    s.update(override)
    return s


def report(sections: dict[str, Section], host: Host = HOST) -> DiskReport:
    r = evaluate(read_sections(sections), host)
    assert_safe(r)
    return r


def mounts(r: DiskReport) -> dict[str, MountStatus]:
    return {m.mountpoint: m for m in r.mounts}


def test_captured_faults_with_fstab() -> None:
    r = report(faults())
    m = mounts(r)
    assert m[f"{B}/mnt/ro"].severity == Severity.CRITICAL
    assert m[f"{B}/mnt/ro"].reasons == ("read-only, expected read-write",)
    assert m[f"{B}/mnt/ro"].expected_by == ("fstab",)
    assert m[f"{B}/mnt/err"].reasons == ("read-only after a filesystem error (emergency_ro)",)
    assert m[f"{B}/mnt/err"].read_only and not m[f"{B}/mnt/err"].expected_read_only
    assert m[f"{B}/mnt/full"].reasons == ("100.0% used ≥ 90%",)
    assert m[f"{B}/mnt/crit"].reasons == ("93.6% used ≥ 90%",) and m[f"{B}/mnt/crit"].used_percent == 93.6
    assert m[f"{B}/mnt/warn"].severity == Severity.WARNING and m[f"{B}/mnt/warn"].reasons == ("85.7% used ≥ 80%",)
    assert m[f"{B}/mnt/inodes"].reasons == ("inodes 100.0% used ≥ 90%",)
    assert m[f"{B}/mnt/rotmpfs"].severity == Severity.OK and m[f"{B}/mnt/rotmpfs"].expected_read_only
    assert m[f"{B}/mnt/data"].severity == Severity.OK and m[f"{B}/mnt/data"].reasons == ()
    gone = m[f"{B}/gone"]
    assert (gone.severity, gone.missing, gone.reasons) == (
        Severity.CRITICAL, True, ("not mounted (expected by fstab)",))
    assert m[f"{B}/usb"].severity == Severity.WARNING and m[f"{B}/usb"].missing
    assert "/media/cdrom0" not in m  # noauto
    assert not any(mp.startswith(("/proc", "/sys", "/dev", "/run")) for mp in m)  # plumbing
    assert m[f"{B}/mnt/sp ace"].used_percent == 0.1  # fstab \040, /proc/mounts \040 and df's raw space agree
    assert r.kernel.severity == Severity.CRITICAL and r.kernel.count == 6
    assert r.severity == Severity.CRITICAL and r.errors == ()


def test_worst_first_outages_before_full_disks() -> None:
    order = [m.mountpoint for m in report(faults()).mounts]
    ranks = [m.severity.rank for m in report(faults()).mounts]
    assert ranks == sorted(ranks, reverse=True)
    assert set(order[:3]) == {f"{B}/gone", f"{B}/mnt/err", f"{B}/mnt/ro"}  # outages before full disks
    assert order.index(f"{B}/mnt/full") < order.index(f"{B}/mnt/crit") < order.index(f"{B}/mnt/warn")


def test_headline_root_back_read_only() -> None:
    df = b"Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/loop0 56037 14 51437 1% /\n"
    s = {
        "mounts": sec("mounts", data("machine/root_ro_proc_mounts.txt")),
        "fstab": sec("fstab", data("machine/root_ro_fstab.txt")),
        "df": sec("df", df), "dfi": sec("dfi", b""), "mdstat": Section("mdstat", absent=True),
        "dmesg": sec("dmesg", b""),
    }
    (root,) = report(s).mounts
    assert (root.mountpoint, root.read_only, root.expected_read_only) == ("/", True, False)
    assert root.severity == Severity.CRITICAL and root.reasons == ("read-only, expected read-write",)
    # no fstab at all (a container, the lab): a read-only ext4 root is still critical
    s["fstab"] = sec("fstab", b"", 1, b"cat: /etc/fstab: No such file or directory\n")
    r = report(s)
    assert r.mounts[0].severity == Severity.CRITICAL and r.errors == ()


def test_clean_machine_is_ok() -> None:
    s = split_sections(data("machine/probe_root_clean.bin"), "c1ea5c1ea5c1ea5c")
    s["dmesg"] = sec("dmesg", b"")  # the captured ring buffer still holds the earlier fault
    r = report(s)
    assert [m.mountpoint for m in r.mounts] == ["/"]
    assert r.severity == Severity.OK and r.raid == () and r.kernel.severity == Severity.OK


def test_captured_reply_with_one_df_run_has_space_and_inodes() -> None:
    # the probe of 2026-11-27 on this machine: GNU df --output gave blocks and inodes in one section
    s = split_sections(data("machine/probe_root_dfo.bin"), "df0df0df0df0df0d")
    assert "dfo" in s and "df" not in s and "dfi" not in s
    r = report(s)
    root = mounts(r)["/"]
    assert root.used_percent is not None and root.inodes_used_percent is not None
    assert root.severity == Severity.OK and r.errors == ()
    # the ring buffer (tail -c) still held a lab fault's ext4 lines from earlier that day
    assert (r.kernel.count, r.kernel.remounted_read_only) == (3, True)
    assert r.kernel.latest == "[23690.712625] EXT4-fs (loop0): Remounting filesystem read-only"


def test_unreadable_kernel_log_does_not_break_a_healthy_host() -> None:
    nobody = split_sections(data("machine/probe_nobody_faults.bin"), "5eed5eed5eed5eed")
    s = split_sections(data("machine/probe_root_clean.bin"), "c1ea5c1ea5c1ea5c")
    s["dmesg"], s["journal"] = nobody["dmesg"], nobody["journal"]
    r = report(s)
    assert not r.kernel.readable and r.kernel.severity == Severity.UNKNOWN
    assert r.kernel.reasons[0].startswith("kernel log not readable: dmesg (exit status 1)")
    assert r.severity == Severity.OK


def test_captured_nobody_run_end_to_end() -> None:
    r = report_from_output(data("machine/probe_nobody_faults.bin"), "5eed5eed5eed5eed", HOST)
    assert not r.kernel.readable
    assert mounts(r)[f"{B}/mnt/ro"].severity == Severity.CRITICAL  # no fstab: ext4 is expected read-write
    assert mounts(r)[f"{B}/mnt/rotmpfs"].severity == Severity.OK  # tmpfs: read-only taken as intended
    assert r.severity == Severity.CRITICAL


def test_inventory_mounts_are_expected_and_may_be_plumbing() -> None:
    host = Host(name="h", address="a", mounts=("/srv/storage/", "/dev/shm", f"{B}/mnt/rotmpfs"))
    m = mounts(report(faults(), host))
    assert m["/srv/storage"].severity == Severity.CRITICAL and m["/srv/storage"].expected_by == ("inventory",)
    assert m["/srv/storage"].reasons == ("not mounted (expected by inventory)",)
    assert m["/dev/shm"].severity == Severity.OK and m["/dev/shm"].fstype == "tmpfs"
    assert m[f"{B}/mnt/rotmpfs"].expected_by == ("fstab", "inventory")


def test_inventory_mount_read_only_without_fstab_is_critical() -> None:
    host = Host(name="h", address="a", mounts=(f"{B}/mnt/rotmpfs",))
    m = mounts(report(faults(fstab=sec("fstab", b"")), host))
    assert m[f"{B}/mnt/rotmpfs"].severity == Severity.CRITICAL
    assert not m[f"{B}/mnt/rotmpfs"].expected_read_only


def test_thresholds_per_host_and_per_mount() -> None:
    host = Host(name="h", address="a", thresholds=Thresholds(70, 95),
                mount_thresholds=((f"{B}/mnt/crit", Thresholds(95, 99)),))
    m = mounts(report(faults(), host))
    assert m[f"{B}/mnt/crit"].severity == Severity.OK
    assert m[f"{B}/mnt/warn"].reasons == ("85.7% used ≥ 70%",)
    assert m[f"{B}/mnt/full"].reasons == ("100.0% used ≥ 95%",)


def test_df_failure_makes_space_unknown() -> None:
    r = report(faults(df=sec("df", b"", 1, b"df: cannot read table of mounted file systems\n")))
    data_mount = mounts(r)[f"{B}/mnt/data"]
    assert data_mount.severity == Severity.UNKNOWN and data_mount.used_percent is None
    assert data_mount.reasons == (
        "no space figures: df -P: exit status 1: df: cannot read table of mounted file systems",)
    assert "df -P: exit status 1: df: cannot read table of mounted file systems" in r.errors


def test_unreadable_proc_mounts_is_unknown() -> None:
    host = Host(name="h", address="a", mounts=("/srv",))
    r = report(faults(mounts=sec("mounts", b"", None), dmesg=sec("dmesg", b"")), host)
    assert r.severity == Severity.UNKNOWN
    assert [(m.mountpoint, m.severity, m.missing) for m in r.mounts] == [("/srv", Severity.UNKNOWN, False)]
    assert "/proc/mounts: output cut off" in r.errors


def test_no_output_at_all() -> None:
    r = report_from_output(b"", "0123456789abcdef", HOST)
    assert r.severity == Severity.UNKNOWN and r.mounts == ()
    assert "/proc/mounts: not in the probe output" in r.errors
    r = report_from_output(b"\x00\xff garbage \x1b[31m", "0123456789abcdef", HOST)
    assert r.severity == Severity.UNKNOWN and "no section markers in the probe output" in r.errors


def test_bind_mount_gets_its_device_figures() -> None:
    proc = b"/dev/vda / ext4 rw 0 0\n/dev/vda /root/.bashrc ext4 rw 0 0\n"
    df = b"Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 100 91 9 91% /\n"
    m = mounts(report(faults(mounts=sec("mounts", proc), fstab=sec("fstab", b""), df=sec("df", df))))
    assert m["/root/.bashrc"].used_percent == 91.0 and m["/root/.bashrc"].severity == Severity.CRITICAL


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("raid5_failed_degraded.txt", {"md0": (Severity.CRITICAL, ("1 of 3 members missing", "failed: sdc1"))}),
        ("failed_member_full_count.txt", {"md1": (Severity.CRITICAL, ("failed: sdh1",)), "md0": (Severity.OK, ())}),
        ("raid1_missing_and_recovery.txt", {
            "md0": (Severity.CRITICAL, ("1 of 2 members missing", "recovery 3.6%")),
            "md1": (Severity.CRITICAL, ("1 of 2 members missing",))}),
        ("raid1_check_and_delayed.txt", {
            "md1": (Severity.WARNING, ("resync delayed",)), "md0": (Severity.OK, ("check 6.4%",))}),
        ("raid10_resync_and_pending.txt", {
            "md2": (Severity.WARNING, ("resync pending",)), "md3": (Severity.WARNING, ("resync 37.2%",)),
            "md0": (Severity.OK, ()), "md1": (Severity.OK, ()), "md127": (Severity.OK, ())}),
        ("imsm_container.txt", {"md126": (Severity.OK, ()), "md127": (Severity.OK, ("external-metadata container",))}),
        ("inactive_all_spares.txt", {"md127": (Severity.CRITICAL, ("array inactive (not running)",))}),
        ("raid0_and_raid1.txt", {"md0": (Severity.OK, ()), "md1": (Severity.OK, ())}),
        ("no_arrays.txt", {}),
    ],
)
def test_raid_findings(name: str, expected: dict[str, tuple[Severity, tuple[str, ...]]]) -> None:
    r = report(faults(mdstat=sec("mdstat", data(f"mdstat/{name}"))))
    assert {a.device: (a.severity, a.reasons) for a in r.raid} == expected
    ranks = [a.severity.rank for a in r.raid]
    assert ranks == sorted(ranks, reverse=True)


def test_reshape_is_a_warning_but_missing_members_dominate() -> None:
    r = report(faults(mdstat=sec("mdstat", data("mdstat/raid6_reshape.txt"))))
    (md0,) = r.raid
    assert md0.state == "reshape" and md0.progress_percent == 48.4
    assert md0.severity == Severity.CRITICAL and md0.reasons == ("2 of 6 members missing", "reshape 48.4%")


def test_unreadable_mdstat_is_unknown_but_absent_is_no_raid() -> None:
    clean = split_sections(data("machine/probe_root_clean.bin"), "c1ea5c1ea5c1ea5c")
    clean["dmesg"] = sec("dmesg", b"")
    clean["mdstat"] = sec("mdstat", b"", 1, b"cat: /proc/mdstat: Permission denied\n")
    r = report(clean)
    assert r.severity == Severity.UNKNOWN and r.raid == ()
    assert "/proc/mdstat: exit status 1: cat: /proc/mdstat: Permission denied" in r.errors


def test_json_contract() -> None:
    r = report(faults(mdstat=sec("mdstat", data("mdstat/raid1_missing_and_recovery.txt"))))
    m = mount_json(mounts(r)[f"{B}/mnt/ro"])
    assert {k: m[k] for k in ("mountpoint", "device", "fstype", "read_only", "expected_read_only",
                              "used_percent", "inodes_used_percent", "severity")} == {
        "mountpoint": f"{B}/mnt/ro", "device": "/dev/loop2", "fstype": "ext4", "read_only": True,
        "expected_read_only": False, "used_percent": 0.1, "inodes_used_percent": 0.1, "severity": "critical"}
    raid = raid_json(next(a for a in r.raid if a.device == "md0"))
    assert {k: raid[k] for k in ("device", "level", "members_total", "members_up", "state", "progress_percent",
                                 "severity")} == {
        "device": "md0", "level": "raid1", "members_total": 2, "members_up": 1, "state": "recovery",
        "progress_percent": 3.6, "severity": "critical"}
    k = kernel_json(r.kernel)
    assert (k["readable"], k["count"], k["latest"]) == (
        True, 6, "[ 1436.643834] EXT4-fs (loop0): Remounting filesystem read-only")
    json.dumps([mount_json(x) for x in r.mounts] + [raid_json(x) for x in r.raid] + [k])


def test_df_output_larger_than_a_section_is_cut_and_said() -> None:
    # a host with thousands of mounts: its df --output section is past the limit (rc 0, so df -P did not run)
    line = b"overlay 1000 10 990 100 1 99 /var/lib/docker/overlay2/%06d/merged\n"
    body = b"Filesystem 1K-blocks Used Avail Inodes IUsed IFree Mounted on\n" + b"".join(
        line.replace(b"%06d", b"%06d" % i) for i in range(STDOUT_LIMIT // len(line) + 100))
    inputs = read_sections({"dfo": Section("dfo", body, b"", 0)})
    assert inputs.df and inputs.dfi and len(inputs.df) == len(inputs.dfi) < STDOUT_LIMIT // len(line) + 100
    assert inputs.df_note == "df: output larger than 262,144 bytes, cut"
    assert inputs.df_note in inputs.problems
