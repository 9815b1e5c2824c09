"""Verification judged on captured real `rsync --checksum --dry-run --itemize-changes --stats` output."""

from __future__ import annotations

from pathlib import Path

from cockpit.transfers import verify

DATA = Path(__file__).parent.parent / "data" / "transfers"
# `find DEST -printf '%y %s\n' | awk` on the destination, right after the clean import
LOCAL_CLEAN = b"f 152 14104409\nd 4 16384\nl 1 5\n"


def split(out: bytes) -> tuple[bytes, bytes]:
    """What the status command sends: the changes (up to the first blank line) and the stats."""
    changes, _, stats = out.lstrip(b"\n").partition(b"\n\n") if not out.startswith(b"\n") else (b"", b"", out)
    return changes, stats


def test_source_counts_come_from_the_stats() -> None:
    c = verify.parse_stats((DATA / "verify_clean.out").read_bytes())
    assert c == verify.Counts(entries=157, regular=152, dirs=4, links=1, bytes=14_104_414)


def test_a_clean_run_with_equal_counts_is_verified() -> None:
    out = (DATA / "verify_clean.out").read_bytes()
    changes, stats = split(out)
    v = verify.judge(0, changes, 0, stats=stats, local=LOCAL_CLEAN)
    assert v.verified, v.differences
    assert v.destination == verify.Counts(entries=157, regular=152, dirs=4, links=1, bytes=14_104_414)


def test_differences_are_listed_file_by_file() -> None:
    out = (DATA / "verify_diff.out").read_bytes()
    changes, stats = split(out)
    local = b"d 4 16384\nf 152 1519542\n"  # find on the damaged destination
    v = verify.judge(0, changes, 7, stats=stats, local=local)
    assert not v.verified
    text = "\n".join(v.differences)
    assert "missing on the destination: file ünïcødé/mail 7.eml" in text
    assert "differs (checksum): file inbox/mail 3.eml" in text  # same size and time: only --checksum sees it
    assert "differs (checksum, size, time): file attachments 2024/scan big.pdf" in text
    assert "missing on the destination: symlink link to inbox -> inbox" in text
    assert "symlinks: source 1, destination 0 (-1)" in text
    assert "bytes: source 14,104,414, destination 1,519,542" in text


def test_equal_listing_but_different_counts_is_not_verified() -> None:
    out = (DATA / "verify_clean.out").read_bytes()
    changes, stats = split(out)
    extra = b"f 153 14104500\nd 4 16384\nl 1 5\n"  # an extra file rsync does not list without --delete
    v = verify.judge(0, changes, 0, stats=stats, local=extra)
    assert not v.verified
    assert v.differences[0] == "files: source 152, destination 153 (+1)"


def test_a_failed_check_is_never_verified() -> None:
    v = verify.judge(255, b"", 0, stats=b"", local=LOCAL_CLEAN, errors=b"ssh: connect to host x port 22: timed out\n")
    assert not v.verified and "rsync exit 255" in v.differences[0] and "timed out" in v.differences[0]
    none = verify.judge(0, b"", 0, stats=b"garbage", local=b"")
    assert not none.verified


def test_the_list_is_capped_and_hostile_names_are_escaped() -> None:
    lines = b"\n".join(b">f+++++++++ dir/\x1b[31mred\x1b[0m %d.eml" % i for i in range(80))
    v = verify.judge(0, lines, 80, stats=(DATA / "verify_clean.out").read_bytes(), local=LOCAL_CLEAN)
    assert len(v.differences) == verify.CHANGE_LIMIT + 1
    assert v.differences[verify.CHANGE_LIMIT] == "… and 30 more differences"
    assert all("\x1b" not in d for d in v.differences)


def test_a_garbled_count_in_the_stats_is_left_out_not_a_crash() -> None:
    # found by the hostile fuzz: a NUL where rsync writes "reg: 152"
    c = verify.parse_stats(b"Number of files: 3 (reg: \x00, dir: 1)\nTotal file size: 10 bytes\n")
    assert c is not None and (c.entries, c.regular, c.dirs, c.bytes) == (3, 0, 1, 10)


def test_counts_with_thousands_separators_are_read_whole() -> None:
    # rsync prints "reg: 2,020" unless --no-human-readable (the cockpit passes it; a parser must not split there)
    c = verify.parse_stats(b"Number of files: 2,037 (reg: 2,020, dir: 16, link: 1)\n"
                           b"Total file size: 28,826,082 bytes\n")
    assert c == verify.Counts(entries=2037, regular=2020, dirs=16, links=1, bytes=28_826_082)
    plain = verify.parse_stats(b"Number of files: 2037 (reg: 2020, dir: 16, link: 1)\n"
                               b"Total file size: 28826082 bytes\n")
    assert plain == c
