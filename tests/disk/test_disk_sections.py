"""Splitting the combined probe output into sections, on captured output and damaged copies."""

from __future__ import annotations

from diskdata import data

from cockpit.disk.sections import split_output, split_sections

FAULTS = "5eed5eed5eed5eed"


def test_captured_root_output() -> None:
    split = split_output(data("machine/probe_root_faults.bin"), FAULTS)
    assert split.problems == ()
    s = split.sections
    assert list(s) == ["mounts", "fstab", "df", "dfi", "mdstat", "dmesg"]
    assert all(s[n].exit_status == 0 for n in ("mounts", "fstab", "df", "dfi", "dmesg"))
    assert s["mdstat"].absent and s["mdstat"].complete
    assert s["mounts"].stdout.startswith(b"proc /proc proc rw") and s["mounts"].stdout.endswith(b"0 0\n")
    assert s["df"].stdout.startswith(b"Filesystem ") and s["df"].stderr == b""
    assert b"Remounting filesystem read-only" in s["dmesg"].stdout


def test_captured_nobody_output() -> None:
    s = split_sections(data("machine/probe_nobody_faults.bin"), FAULTS)
    assert s["dmesg"].exit_status == 1 and s["dmesg"].stdout == b""
    assert s["dmesg"].stderr == b"dmesg: read kernel buffer failed: Operation not permitted\n"
    assert s["journal"].exit_status == 0 and s["journal"].stderr == b"No journal files were found.\n"


def test_wrong_nonce_finds_nothing() -> None:
    split = split_output(data("machine/probe_root_faults.bin"), "0000000000000000")
    assert split.sections == {}
    assert split.problems == ("no section markers in the probe output",)


def test_truncated_output_keeps_what_arrived() -> None:
    raw = data("machine/probe_root_faults.bin")
    cut = raw[: raw.index(b"@@cockpit:5eed5eed5eed5eed:stderr:df@@") - 300]
    split = split_output(cut, FAULTS)
    assert split.sections["mounts"].exit_status == 0
    df = split.sections["df"]
    assert df.exit_status is None and not df.complete and df.stdout.startswith(b"Filesystem")
    assert "section df was cut off" in split.problems
    assert "dfi" not in split.sections


def test_every_prefix_splits_without_error() -> None:
    raw = data("machine/probe_root_faults.bin")
    for end in range(0, len(raw), 7):
        split_output(raw[:end], FAULTS)


def test_forged_and_repeated_markers() -> None:
    n = "abcdef0123456789"
    out = (
        f"\n@@cockpit:{n}:begin:df@@\nreal\n@@cockpit:0000000000000000:end:df:0@@\n"  # forged: other nonce
        f"\n@@cockpit:{n}:stderr:df@@\n\n@@cockpit:{n}:end:df:1@@\n"
        f"\n@@cockpit:{n}:begin:df@@\nagain\n@@cockpit:{n}:stderr:df@@\n\n@@cockpit:{n}:end:df:0@@\n"
        f"\n@@cockpit:{n}:end:mounts:0@@\n"
    ).encode()
    split = split_output(out, n)
    df = split.sections["df"]
    assert df.exit_status == 1 and df.stdout == b"real\n@@cockpit:0000000000000000:end:df:0@@\n"
    assert "section df appears twice; the first one is used" in split.problems
    assert "unexpected end marker for section mounts" in split.problems


def test_begin_without_end_then_next_section() -> None:
    n = "abcdef0123456789"
    out = f"\n@@cockpit:{n}:begin:mounts@@\nx\n@@cockpit:{n}:begin:df@@\ny\n@@cockpit:{n}:end:df:0@@\n".encode()
    split = split_output(out, n)
    assert split.sections["mounts"].exit_status is None and split.sections["mounts"].stdout == b"x"
    assert split.sections["df"].stdout == b"y"
    assert "section mounts has no end marker" in split.problems


def test_not_bytes() -> None:
    assert split_output("text", "ab").problems == ("probe output is not bytes",)  # type: ignore[arg-type]
