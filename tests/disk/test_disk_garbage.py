"""Targeted hostile input: binary, NULs, ANSI escapes, Textual markup, huge and truncated lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from diskdata import assert_safe, data

from cockpit.disk.df import parse_df, parse_df_output
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.kernel import parse_kernel_log
from cockpit.disk.mdstat import parse_mdstat
from cockpit.disk.mounts import parse_fstab, parse_proc_mounts
from cockpit.disk.sections import Section, split_output
from cockpit.inventory.model import Host

MB = 1024 * 1024


def kernel(raw: bytes) -> Any:
    return parse_kernel_log(Section("dmesg", raw, b"", 0), Section("journal", raw, raw, 0))


PARSERS: dict[str, Callable[[bytes], Any]] = {
    "proc_mounts": parse_proc_mounts,
    "fstab": parse_fstab,
    "df": parse_df,
    "df_output": parse_df_output,
    "mdstat": parse_mdstat,
    "kernel": kernel,
}

GARBAGE = {
    "binary": bytes(range(256)) * 64,
    "nuls": b"\x00" * 5000 + b"/dev/sda1 / ext4 rw 0 0\x00\n\x00",
    "invalid_utf8": b"\xff\xfe\xc3\x28/dev/\xe2\x82 /mnt/\xf0\x28\x8c\xbc ext4 rw 0 0\n",
    "ansi": b"\x1b[2J\x1b[31m/dev/sda1\x1b[0m /mnt/\x1b]0;pwned\x07x ext4 rw 0 0\n\x9b31m\n",
    "markup": b"[bold]/dev/sda1[/] /mnt/[link=http://x]y ext4 rw 0 0\n[blink]md0 : active raid1 sda[0]\n",
    "crlf": b"/dev/sda1 / ext4 rw 0 0\r\n\r\n",
    "separators": "/dev/sda1 /a\u2028b ext4 rw 0 0\x0c\x1c\x85\n".encode(),
    "huge_line": b"/dev/sda1 /" + b"x" * MB + b" ext4 rw 0 0\n",
    "huge_numbers_line": b"a " + b"1 " * (MB // 2) + b"\n",
    "huge_spaces": b"/dev/sda1" + b" " * MB + b"1\n",
    "huge_md_line": b"md0 : active raid1 " + b"sda[1](F)(S) " * 80000 + b"\n      [" + b"U" * MB + b"]\n",
    "huge_kernel_line": b"XFS (" + b"(" * MB + b"\nBTRFS " + b" " * MB + b"error\n",
    "many_lines": b"tmpfs /t tmpfs rw 0 0\n" * 20000,
}


@pytest.mark.parametrize("kind", sorted(GARBAGE))
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_parsers_survive_garbage(parser: str, kind: str) -> None:
    result = PARSERS[parser](GARBAGE[kind])
    assert_safe(result)


def test_ansi_and_markup_mount_points_are_defused_but_matchable() -> None:
    (e,) = parse_proc_mounts(GARBAGE["ansi"].splitlines()[0]).items
    assert "\x1b" not in e.device + e.mountpoint
    assert e.mountpoint == "/mnt/?]0;pwned?x"  # same as df would print it
    (m,) = parse_proc_mounts(GARBAGE["markup"].splitlines()[0]).items
    assert m.mountpoint == "/mnt/[link=http://x]y"  # kept: escaping markup is the UI's job


@pytest.mark.parametrize("name", ["machine/proc_mounts_faults.txt", "machine/df_P_faults.txt",
                                  "machine/df_output_set.txt", "mdstat/raid10_resync_and_pending.txt",
                                  "kernel/dmesg_err_root.txt",
                                  "machine/fstab_composed_faults.txt"])
def test_truncated_captures_keep_the_complete_lines(name: str) -> None:
    raw = data(name)
    for cut in range(0, len(raw), 13):
        for parse in PARSERS.values():
            assert_safe(parse(raw[:cut]))
    full = parse_proc_mounts(data("machine/proc_mounts_faults.txt")).items
    half = parse_proc_mounts(data("machine/proc_mounts_faults.txt")[:1100]).items
    assert half and full[: len(half) - 1] == half[:-1]


def test_the_whole_pipeline_survives_hostile_sections() -> None:
    nonce = "0123456789abcdef"
    out = b"".join(
        f"\n@@cockpit:{nonce}:begin:{name}@@\n".encode() + body
        + f"\n@@cockpit:{nonce}:stderr:{name}@@\n".encode() + b"\x1b[31m[bold]err\x00"
        + f"\n@@cockpit:{nonce}:end:{name}:{rc}@@\n".encode()
        for name, body, rc in [
            ("mounts", GARBAGE["ansi"] + GARBAGE["huge_line"], 0),
            ("fstab", GARBAGE["markup"], 0),
            ("df", GARBAGE["huge_numbers_line"], 1),
            ("dfi", GARBAGE["binary"], 0),
            ("mdstat", GARBAGE["huge_md_line"], 0),
            ("dmesg", GARBAGE["huge_kernel_line"], 1),
            ("journal", GARBAGE["nuls"], 0),
        ]
    )
    report = report_from_output(out, nonce, Host(name="h", address="a", mounts=("/", "/[bold]")))
    assert_safe(report)
    assert report.severity.value in ("critical", "unknown")
    assert split_output(out, nonce).problems == ()
