"""Kernel log: I/O-error-class lines, the latest one, and "not readable" vs "no errors"."""

from __future__ import annotations

import pytest
from diskdata import assert_safe, data

from cockpit.disk.command import KERNEL_BYTES, KERNEL_LINES
from cockpit.disk.kernel import is_io_error, newest_lines, parse_kernel_log, says_read_only
from cockpit.disk.sections import Section


def dmesg(out: bytes, rc: int = 0, err: bytes = b"") -> Section:
    return Section("dmesg", out, err, rc)


def journal(out: bytes, rc: int = 0, err: bytes = b"") -> Section:
    return Section("journal", out, err, rc)


def test_captured_ext4_error_and_remount() -> None:
    log = parse_kernel_log(dmesg(data("kernel/dmesg_err_root.txt")), None)
    # 3 overlayfs lines are not I/O errors; 2 x (EXT4-fs error, Aborting journal, Remounting read-only) are
    assert (log.readable, log.count, log.source) == (True, 6, "dmesg")
    assert log.latest == "[ 1436.643834] EXT4-fs (loop0): Remounting filesystem read-only"
    assert log.remounted_read_only


def test_captured_permission_error_is_not_readable() -> None:
    log = parse_kernel_log(dmesg(b"", 1, data("kernel/dmesg_nobody.txt")), None)
    assert not log.readable and log.count == 0
    assert log.error == "dmesg (exit status 1): read kernel buffer failed: Operation not permitted"


def test_captured_journal_without_files_is_not_readable() -> None:
    raw = data("kernel/journalctl_nobody.txt")  # "No journal files were found." + "-- No entries --"
    log = parse_kernel_log(dmesg(b"", 1, data("kernel/dmesg_nobody.txt")), journal(raw, 0, b""))
    assert not log.readable
    assert "No journal files were found" in (log.error or "")


def test_journal_fallback_counts_when_readable() -> None:
    log = parse_kernel_log(dmesg(b"", 127, b"sh: 1: dmesg: not found"),
                           journal(data("kernel/journal_short_sr0_io_errors.txt")))
    assert (log.readable, log.count, log.source) == (True, 3, "journalctl")
    assert log.latest is not None and log.latest.endswith("logical block 254979, async page read")
    assert not log.remounted_read_only


def test_no_errors_is_readable_and_zero() -> None:
    log = parse_kernel_log(dmesg(b""), None)
    assert (log.readable, log.count, log.latest) == (True, 0, None)
    log = parse_kernel_log(dmesg(b"", 1), journal(b"-- No entries --\n"))
    assert (log.readable, log.count) == (True, 0)  # a journal with nothing at err level


def test_captured_root_without_journald_is_not_readable() -> None:
    # journald never ran on this machine: even root gets "No journal files were found."
    log = parse_kernel_log(dmesg(b"", 1, b"dmesg: x"), journal(data("kernel/journalctl_root_nojournald.txt")))
    assert not log.readable


def test_both_tools_missing() -> None:
    log = parse_kernel_log(dmesg(b"", 127), journal(b"", 127))
    assert not log.readable
    assert log.error == "dmesg: not installed; journalctl: not installed"
    assert parse_kernel_log(None, None).error == "kernel log not in the probe output"


@pytest.mark.parametrize(
    ("name", "count", "read_only"),
    [
        ("kernel/dmesg_usb_flash_io_errors.txt", 3, False),
        ("kernel/dmesg_md_raid5_disk_failure.txt", 10, False),
        ("kernel/xfs_log_error_shutdown.txt", 4, True),
    ],
)
def test_published_logs(name: str, count: int, read_only: bool) -> None:
    log = parse_kernel_log(dmesg(data(name)), None)
    assert (log.count, log.remounted_read_only) == (count, read_only)
    assert_safe(log)


@pytest.mark.parametrize(
    "line",
    [
        "[  3.1] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0",
        "[  3.2] blk_update_request: critical medium error, dev sdb, sector 2048 op 0x0:(READ)",
        "[  3.3] sd 2:0:0:0: [sdb] tag#0 Sense Key : Medium Error [current]",
        "[  3.4] md/raid1:md0: Disk failure on sdb1, disabling device.",
        "[  3.5] BTRFS error (device sdc): bdev /dev/sdc errs: wr 0, rd 1, flush 0, corrupt 0, gen 0",
        "[  3.6] JBD2: Detected IO errors while flushing file data on sda1-8",
        "[  3.7] nvme nvme0: I/O 12 QID 3 timeout, aborting",
        "[  3.8] ata3.00: failed command: READ FPDMA QUEUED",
    ],
)
def test_io_error_classes(line: str) -> None:
    assert is_io_error(line)


@pytest.mark.parametrize(
    "line",
    [
        "[ 1142.266908] overlayfs: maximum fs stacking depth exceeded",
        " XFS (dm-0): Mounting V5 Filesystem",
        "[  1.0] BTRFS info (device sde1): bdev /dev/sdf1 errs: wr 4458026, rd 14571, flush 0, corrupt 0, gen 0",
        "[  2.0] EXT4-fs (sda1): mounted filesystem with ordered data mode",
    ],
)
def test_not_io_errors(line: str) -> None:
    assert not is_io_error(line)


def test_read_only_lines() -> None:
    assert says_read_only("EXT4-fs (loop3): Remounting filesystem read-only")
    assert says_read_only("BTRFS info (device sda): forced readonly")
    assert not says_read_only("EXT4-fs error (device loop3): trigger_test_error:129: comm bash: 1")


def test_hostile_latest_line_is_printable() -> None:
    log = parse_kernel_log(dmesg(b"\x1b[31m[bold red]Buffer I/O error\x07 on dev sda\x00\n"), None)
    assert log.count == 1
    assert log.latest is not None and "\x1b" not in log.latest and "[bold red]" in log.latest
    assert_safe(log)


def test_a_cut_log_loses_its_partial_first_line_and_keeps_the_newest_lines() -> None:
    line = b"[1.0] EXT4-fs error (device vda): a whole line\n"
    cut = b"dev sda: I/O error (the end of a line cut by tail -c)\n"
    body = line * (KERNEL_BYTES // len(line))
    text = (cut + body)[-KERNEL_BYTES:]  # what tail -c sends: starts mid-line
    assert not text.startswith(b"[1.0]")
    assert newest_lines(text) == [line.decode().rstrip("\n")] * KERNEL_LINES
    short = cut + line * 3  # under the byte limit: nothing was cut, every line counts
    assert len(newest_lines(short)) == 4
    assert parse_kernel_log(dmesg(short), None).count == 4
