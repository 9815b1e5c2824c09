"""Hypothesis fuzzing of every disk parser, the section splitter and the whole pipeline.

Properties: nothing raises, and no string that comes back contains an ANSI
escape or any other control character. Example counts are fixed (no timing).
"""

from __future__ import annotations

import os

from diskdata import CONTROL, DATA, assert_safe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.disk.command import SECTIONS
from cockpit.disk.df import parse_df, parse_df_output, used_percent
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.kernel import parse_kernel_log
from cockpit.disk.mdstat import parse_mdstat
from cockpit.disk.mounts import parse_fstab, parse_proc_mounts
from cockpit.disk.sections import Section, split_output
from cockpit.inventory.model import Host, Thresholds

# Per test. COCKPIT_FUZZ_EXAMPLES=5000 for a deeper run; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("COCKPIT_FUZZ_EXAMPLES", "300"))
PIPELINE_EXAMPLES = EXAMPLES  # splitter and whole-pipeline tests (bigger inputs)
# Same examples every run unless COCKPIT_FUZZ_RANDOM=1 (see tests/hostile/hostile_fuzz.py).
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=os.environ.get("COCKPIT_FUZZ_RANDOM") != "1")
FUZZ_PIPELINE = settings(FUZZ, max_examples=PIPELINE_EXAMPLES)
NONCE = "0123456789abcdef"

# Pieces of every format the probe reads, plus hostile bits, glued at random.
FRAGMENTS = [
    "/dev/sda1", "/dev/md0", "UUID=1234-ABCD", "LABEL=root", "tmpfs", "none", "proc", "overlay", "/",
    "/srv", "/mnt/a\\040b", "\\011", "\\012", "\\134", "\\999", "ext4", "xfs", "swap", "nfs",
    "rw", "ro", "emergency_ro", "errors=remount-ro", "noauto", "nofail", "defaults", ",", " 0 0", "#",
    "Filesystem 1024-blocks Used Available Capacity Mounted on", "12345", "0", "-", "100%", "93%", "-1",
    "99999999999999999999999999999999", "Personalities : [raid1] [raid6]", "md0 : active raid1",
    "md127 : inactive", "(auto-read-only)", "sda1[0]", "sdb1[1](F)", "sdc[2](S)", "[2/1]", "[U_]",
    "[UUUU]", "blocks super 1.2", "super external:imsm", "[=>....]", "recovery = 12.6%", "resync =100.0%",
    "check = 7.5%", "reshape = 48.4%", "\tresync=DELAYED", "resync=PENDING", "unused devices: <none>",
    "bitmap: 0/8 pages", "[ 1435.4] EXT4-fs error (device loop3):", "Remounting filesystem read-only",
    "Buffer I/O error on dev sda", "blk_update_request: I/O error", "XFS (dm-0): log I/O error -5",
    "BTRFS error (device sdc)", "forced readonly", "md/raid1:md0: Disk failure on sdb1",
    "-- No entries --", "No journal files were found.", "dmesg: read kernel buffer failed",
    "\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "[bold red]", "[/]", "[link=http://x]", "\x00", "\r", "\x0c",
    "\u2028", "\x85", "\ufffd", " ", "  ", "\t", "\n", "\n", "\n",
]
# Single characters that matter: controls, escapes, separators, markup brackets, odd Unicode.
CHARS = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\t", "\r", "\n", " ", "/", "\\", "[", "]", "%", "-",
         ":", ",", "=", "(", ")", "0", "7", "9", "U", "_", "a", "é", "\u2028", "\ufffd", "\U0001f4a5"]
POOL = FRAGMENTS + CHARS


def glued(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Pieces of the pool glued together (drawing indexes is much cheaper than drawing text)."""
    return st.lists(st.integers(0, len(POOL) - 1), min_size=min_size, max_size=max_size).map(
        lambda ix: "".join(POOL[i] for i in ix))


text = glued(0, 60)
word = glued(1, 3)
number = st.one_of(st.integers(0, 10**20).map(str), st.sampled_from(["-", "0", "x"]))


def lines(line: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Well-formed-looking lines with hostile words inside: these reach the parsers' field handling."""
    return st.lists(line, max_size=6).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))


IO_PHRASES = ["EXT4-fs error (device loop3):", "Remounting filesystem read-only", "Buffer I/O error on dev sda",
              "XFS (dm-0): log I/O error -5", "BTRFS error (device sdc)", "md/raid1:md0: Disk failure on sdb1"]
mount_line = st.tuples(word, word, word, word).map(lambda f: f"{f[0]} /{f[1]} {f[2]} {f[3]},ro 0 0")
df_line = st.tuples(word, number, number, number, st.sampled_from(["0%", "91%", "-", "100%"]), word).map(
    lambda f: f"{f[0]} {f[1]} {f[2]} {f[3]} {f[4]} /{f[5]}")
md_line = st.one_of(
    st.tuples(word, word, word).map(lambda f: f"md{f[0]} : active raid1 {f[1]}[0] {f[2]}[1](F)"),
    st.tuples(number, number, st.text("U_", max_size=6)).map(lambda f: f"      100 blocks [{f[0]}/{f[1]}] [{f[2]}]"),
    st.tuples(st.sampled_from(["recovery", "resync", "check"]), number).map(lambda f: f"   {f[0]} = {f[1]}.5%"),
)
kernel_line = st.tuples(word, st.sampled_from(IO_PHRASES), word).map(lambda f: f"[ 1.0] {f[0]} {f[1]} {f[2]}")
hostile = st.one_of(
    st.binary(max_size=1500),
    text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(text, st.binary(max_size=40)).map(lambda p: p[0].encode("utf-8", "surrogatepass") + p[1]),
    st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")),
    lines(mount_line),
    lines(df_line),
    lines(md_line),
    lines(kernel_line),
)


@FUZZ
@given(hostile)
def test_proc_mounts(raw: bytes) -> None:
    parsed = parse_proc_mounts(raw)
    assert_safe(parsed)
    assert all(e.mountpoint.startswith("/") for e in parsed.items)


@FUZZ
@given(hostile)
def test_fstab(raw: bytes) -> None:
    assert_safe(parse_fstab(raw))


@FUZZ
@given(hostile)
def test_df(raw: bytes) -> None:
    parsed = parse_df(raw)
    assert_safe(parsed)
    for row in parsed.items:
        assert row.mountpoint.startswith("/")
        assert row.used_percent is None or 0.0 <= row.used_percent <= 100.0


@FUZZ
@given(hostile)
def test_df_output(raw: bytes) -> None:
    blocks, inodes = parse_df_output(raw)
    assert_safe((blocks, inodes))
    assert [r.mountpoint for r in blocks.items] == [r.mountpoint for r in inodes.items]
    for row in blocks.items + inodes.items:
        assert row.mountpoint.startswith("/")
        assert row.used_percent is None or 0.0 <= row.used_percent <= 100.0


@FUZZ
@given(st.integers(min_value=0, max_value=10**30), st.integers(min_value=0, max_value=10**30))
def test_used_percent_is_a_rounded_up_percentage(used: int, available: int) -> None:
    pct = used_percent(used, available)
    if used + available == 0:
        assert pct is None
    else:
        assert pct is not None and 0.0 <= pct <= 100.0
        assert pct * (used + available) >= used * 100 - 1e-6 * (used + available)  # never below the truth


@FUZZ
@given(hostile)
def test_mdstat(raw: bytes) -> None:
    parsed = parse_mdstat(raw)
    assert_safe(parsed)
    for a in parsed.items:
        assert a.progress_percent is None or 0.0 <= a.progress_percent <= 100.0
        assert a.state in {"clean", "degraded", "resync", "recovery", "reshape", "check", "repair",
                           "inactive", "container"}


@FUZZ
@given(hostile, st.integers(min_value=-1, max_value=255), hostile, st.one_of(st.none(), st.integers(-1, 255)))
def test_kernel_log(out: bytes, rc: int, err: bytes, journal_rc: int | None) -> None:
    journal = None if journal_rc is None else Section("journal", err, out, journal_rc)
    log = parse_kernel_log(Section("dmesg", out, err, rc), journal)
    assert_safe(log)
    assert log.count >= 0 and (log.latest is None) == (log.count == 0)
    assert log.readable or log.error


# Section bodies: real captures, damaged at a random place, or bytes. Cheap to draw, which
# matters because a whole probe output holds up to a dozen of them.
REAL = [(DATA / f).read_bytes() for f in (
    "machine/proc_mounts_faults.txt", "machine/fstab_composed_faults.txt", "machine/df_P_faults.txt",
    "machine/df_Pi_faults.txt", "machine/df_output_set.txt",
    "mdstat/raid1_missing_and_recovery.txt", "mdstat/raid10_resync_and_pending.txt",
    "kernel/dmesg_err_root.txt", "kernel/dmesg_nobody.txt", "kernel/journalctl_nobody.txt")]
damaged = st.tuples(st.sampled_from(REAL), st.integers(0, 3000), st.integers(0, 3000), st.sampled_from(POOL)).map(
    lambda d: d[0][: d[1]] + d[3].encode("utf-8", "surrogatepass") + d[0][d[1] + d[2] % 50 :])
body = st.one_of(st.binary(max_size=300), st.sampled_from(REAL), damaged)
sections = st.lists(
    st.tuples(st.sampled_from([*SECTIONS, "bogus"]), body, body, st.one_of(st.none(), st.integers(0, 255))),
    max_size=6,
)


def render(parts: list[tuple[str, bytes, bytes, int | None]], nonce: str = NONCE) -> bytes:
    out = b""
    for name, body, err, rc in parts:
        if rc is None:
            out += f"\n@@cockpit:{nonce}:absent:{name}@@\n".encode()
        else:
            out += (f"\n@@cockpit:{nonce}:begin:{name}@@\n".encode() + body
                    + f"\n@@cockpit:{nonce}:stderr:{name}@@\n".encode() + err
                    + f"\n@@cockpit:{nonce}:end:{name}:{rc}@@\n".encode())
    return out


@FUZZ_PIPELINE
@given(sections, st.integers(min_value=0, max_value=10**6), body)
def test_split_never_raises_on_damaged_output(parts: list[tuple[str, bytes, bytes, int | None]],
                                              cut: int, junk: bytes) -> None:
    raw = render(parts)
    for out in (raw[:cut], junk + raw, raw[: cut % (len(raw) + 1)] + junk):
        split = split_output(out, NONCE)
        for s in split.sections.values():
            assert s.stdout in out and s.stderr in out
        assert not any(CONTROL.search(p) for p in split.problems)


@FUZZ_PIPELINE
@given(st.lists(st.tuples(st.sampled_from(SECTIONS), body, body, st.integers(0, 255)),
                max_size=6, unique_by=lambda p: p[0]))
def test_split_round_trip(parts: list[tuple[str, bytes, bytes, int]]) -> None:
    marker = f"@@cockpit:{NONCE}:".encode()
    parts = [p for p in parts if marker not in p[1] + p[2]]  # the nonce is secret: hosts cannot print it
    split = split_output(render(parts), NONCE)
    assert split.problems == () or not parts
    assert {n: (s.stdout, s.stderr, s.exit_status) for n, s in split.sections.items()} == {
        n: (body, err, rc) for n, body, err, rc in parts}


@FUZZ
@given(st.text(alphabet="0123456789abcdefxyz@:\n", max_size=40), hostile)
def test_split_with_marker_text_and_any_nonce(nonce: str, raw: bytes) -> None:
    out = raw + f"@@cockpit:{nonce}:begin:df@@\n".encode() + raw + f"\n@@cockpit:{nonce}:end:df:0@@".encode()
    split = split_output(out, nonce)
    assert not any(CONTROL.search(p) for p in split.problems)


@FUZZ_PIPELINE
@given(
    sections,
    st.lists(st.sampled_from(["/", "/srv", "/storage/", "/dev/shm", "/mnt/a b", "/[bold]x", "relative"]),
             max_size=4),
    st.floats(min_value=0, max_value=100),
)
def test_whole_pipeline(parts: list[tuple[str, bytes, bytes, int | None]], mounts: list[str], warn: float) -> None:
    host = Host(name="h", address="a", mounts=tuple(mounts), thresholds=Thresholds(warn, min(100.0, warn + 5)))
    report = report_from_output(render(parts), NONCE, host)
    assert_safe(report)
    ranks = [m.severity.rank for m in report.mounts]
    assert ranks == sorted(ranks, reverse=True)
