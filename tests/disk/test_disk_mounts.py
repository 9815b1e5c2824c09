"""/proc/mounts and /etc/fstab parsers on captured output."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from diskdata import assert_safe, data

from cockpit.disk.model import FstabEntry, MountEntry
from cockpit.disk.mounts import parse_fstab, parse_proc_mounts, unescape

E = TypeVar("E", MountEntry, FstabEntry)


def by_mp(entries: Iterable[E]) -> dict[str, E]:
    return {e.mountpoint: e for e in entries}


def test_captured_faults_mounts_decode_escapes_and_read_only_flags() -> None:
    parsed = parse_proc_mounts(data("machine/proc_mounts_faults.txt"))
    assert parsed.problems == ()
    m = by_mp(parsed.items)
    base = "/tmp/cockpit-capture"
    assert m[f"{base}/mnt/sp ace"].device == "/dev/loop6"
    assert f"{base}/a b" in m and f"{base}/back\\slash" in m
    # tab and newline (\011, \012) and the raw ESC become "?", exactly what df prints
    assert f"{base}/t?n?x" in m and f"{base}/e?[31mred" in m
    assert m[f"{base}/mnt/ro"].read_only
    err = m[f"{base}/mnt/err"]
    assert "rw" in err.options and "emergency_ro" in err.options and err.read_only
    assert not m[f"{base}/mnt/data"].read_only
    assert m["/"].fstype == "ext4" and m["/"].device == "/dev/vda"
    assert_safe(parsed)


def test_read_only_root_capture() -> None:
    (root,) = parse_proc_mounts(data("machine/root_ro_proc_mounts.txt")).items
    assert (root.mountpoint, root.fstype, root.read_only) == ("/", "ext4", True)
    assert "errors=remount-ro" in root.options  # the option name contains "ro" but is not "ro"


def test_errors_remount_ro_option_alone_is_not_read_only() -> None:
    (e,) = parse_proc_mounts(b"/dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0\n").items
    assert not e.read_only


def test_fstab_debian_style() -> None:
    parsed = parse_fstab(data("machine/fstab_composed_faults.txt"))
    assert parsed.problems == ()
    f = by_mp(parsed.items)
    assert f["/"].device == "/dev/vda" and not f["/"].read_only
    assert f["/tmp/cockpit-capture/mnt/sp ace"].fstype == "ext4"
    assert f["/tmp/cockpit-capture/mnt/ro"].device == "LABEL=ro"
    assert f["/tmp/cockpit-capture/mnt/rotmpfs"].read_only
    assert f["/media/cdrom0"].noauto and f["/media/cdrom0"].fstype == "udf,iso9660"
    assert f["/tmp/cockpit-capture/usb"].nofail
    assert f["none"].swap and f["none"].device.startswith("UUID=")
    assert len(parsed.items) == 11  # comments and blank lines skipped


def test_fstab_real_files() -> None:
    assert parse_fstab(data("machine/fstab_unconfigured.txt")).items == ()
    (root, proc) = parse_fstab(data("machine/root_ro_fstab.txt")).items
    assert root.mountpoint == "/" and root.device.startswith("UUID=6410fb8e") and not root.read_only
    assert proc.fstype == "proc"


def test_fstab_short_lines_and_garbage() -> None:
    parsed = parse_fstab(b"/dev/sdb1 /data xfs\nnot an fstab line\n/dev/x relative ext4 defaults\n")
    assert [e.mountpoint for e in parsed.items] == ["/data"]
    assert parsed.items[0].options == ("defaults",)
    assert len(parsed.problems) == 2


def test_unescape() -> None:
    assert unescape(r"/a\040b\134c") == "/a b\\c"
    assert unescape(r"/x\011y\012z") == "/x?y?z"
    assert unescape(r"/not\999octal") == r"/not\999octal"


def test_trailing_slash_is_the_same_mount_point() -> None:
    (e,) = parse_proc_mounts(b"/dev/sdb1 /srv/ ext4 rw 0 0\n").items
    assert e.mountpoint == "/srv"
