"""df -P / df -Pi parser and the used-percent rule, on captured output."""

from __future__ import annotations

from diskdata import assert_safe, data

from cockpit.disk.df import parse_df, parse_df_output, used_percent
from cockpit.disk.model import DfEntry


def rows(name: str) -> dict[str, DfEntry]:
    parsed = parse_df(data(name))
    assert parsed.problems == ()
    return {r.mountpoint: r for r in parsed.items}


def test_captured_space_figures() -> None:
    r = rows("machine/df_P_faults.txt")
    base = "/tmp/cockpit-capture"
    full = r[f"{base}/mnt/full"]
    assert (full.filesystem, full.total, full.used, full.available) == ("/dev/loop4", 56037, 54727, 0)
    assert full.used_percent == 100.0
    assert r[f"{base}/mnt/warn"].used_percent == 85.7  # 44047/(44047+7404); df says 86%
    assert r[f"{base}/mnt/crit"].used_percent == 93.6  # df says 94%
    assert r[f"{base}/mnt/sp ace"].filesystem == "/dev/loop6"  # mount point with a space
    assert f"{base}/t?n?x" in r and f"{base}/e?[31mred" in r and f"{base}/back\\slash" in r
    assert r["/"].used_percent == 22.1  # 23379476/(23379476+83011436) = 22.02 -> rounded up
    assert_safe(r)


def test_captured_inode_figures() -> None:
    r = rows("machine/df_Pi_faults.txt")
    assert r["/tmp/cockpit-capture/mnt/inodes"].used_percent == 100.0
    assert (r["/tmp/cockpit-capture/mnt/inodes"].total, r["/tmp/cockpit-capture/mnt/inodes"].used) == (64, 64)


def test_header_only_and_clean_capture() -> None:
    assert parse_df(b"Filesystem 1024-blocks Used Available Capacity Mounted on\n").items == ()
    r = rows("machine/df_P_clean.txt")
    assert set(r) == {"/dev", "/dev/shm", "/", "/sys/fs/cgroup"}


def test_dash_for_filesystems_without_inodes() -> None:
    (row,) = parse_df(b"/dev/sdb1               0      0       0     - /srv/btrfs\n").items
    assert row.used_percent is None and row.mountpoint == "/srv/btrfs"
    (row,) = parse_df(b"fuse                    -      -       -     - /mnt/f\n").items
    assert (row.total, row.used, row.available, row.used_percent) == (0, 0, 0, None)


def test_long_device_names_and_spaces_everywhere() -> None:
    line = (b"//fileserver.example.com/share name 104857600 94371840 10485760 90% /mnt/share with  two\n")
    (row,) = parse_df(line).items
    assert row.filesystem == "//fileserver.example.com/share name"
    assert row.mountpoint == "/mnt/share with  two"
    assert row.used_percent == 90.0
    (row,) = parse_df(b"/dev/mapper/vg0-a_very_long_logical_volume_name_that_does_not_wrap 10 5 5 50% /x\n").items
    assert row.filesystem.startswith("/dev/mapper/vg0-a_very_long") and row.used_percent == 50.0


def test_used_percent_rounds_up_like_df() -> None:
    assert used_percent(8991, 1009) == 90.0  # 89.91 % -> 90.0, the same side of 90 as df's "90%"
    assert used_percent(8990, 1010) == 89.9
    assert used_percent(1, 999_999_999) == 0.1
    assert used_percent(0, 100) == 0.0
    assert used_percent(0, 0) is None
    assert used_percent(10, 0) == 100.0


def test_garbage_lines_are_problems_not_rows() -> None:
    parsed = parse_df(b"df: /mnt/nfs: Stale file handle\n\x1b[31mred\x00\n/dev/sda1 1 2\n")
    assert parsed.items == () and len(parsed.problems) == 3
    assert_safe(parsed)


def test_output_columns_give_what_df_p_and_df_pi_give() -> None:
    # captured at the same moment: df -P, df -Pi and df -k --output=OUTPUT_FIELDS
    blocks, inodes = parse_df_output(data("machine/df_output_set.txt"))
    assert blocks.problems == () and inodes.problems == ()
    pairs = [(blocks.items, "machine/df_P_output_set.txt"), (inodes.items, "machine/df_Pi_output_set.txt")]
    for got, posix in pairs:
        want = parse_df(data(posix)).items
        assert [e.mountpoint for e in got] == [e.mountpoint for e in want]
        # "/" is the live root filesystem: its figures moved by a few blocks between the captures
        assert [e for e in got if e.mountpoint != "/"] == [e for e in want if e.mountpoint != "/"]
    b = {e.mountpoint: e for e in blocks.items}
    i = {e.mountpoint: e for e in inodes.items}
    base = "/tmp/cockpit-capture"
    assert (b[f"{base}/mnt/full"].available, b[f"{base}/mnt/full"].used_percent) == (0, 100.0)
    assert (i[f"{base}/mnt/inodes"].used, i[f"{base}/mnt/inodes"].used_percent) == (16, 100.0)
    assert b[f"{base}/mnt/sp ace"].filesystem == "tmpfs"
    assert f"{base}/t?n?x" in b and f"{base}/e?[31mred" in b and f"{base}/back\\slash" in b
    assert_safe((blocks, inodes))


def test_output_columns_with_a_spaced_device_and_no_inode_counts() -> None:
    raw = (b"Filesystem 1K-blocks Used Avail Inodes IUsed IFree Mounted on\n"
           b"my nas:/export 1000 900 100 - - - /mnt/nas share\n")  # composed: btrfs-like "-" inodes
    blocks, inodes = parse_df_output(raw)
    (blk,), (ino,) = blocks.items, inodes.items
    assert (blk.filesystem, blk.mountpoint, blk.used_percent) == ("my nas:/export", "/mnt/nas share", 90.0)
    assert (ino.total, ino.used_percent) == (0, None)
