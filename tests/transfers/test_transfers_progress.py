"""progress2 parsing on captured real rsync output (tests/data/transfers)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cockpit.transfers import progress

DATA = Path(__file__).parent.parent / "data" / "transfers"
TREE_BYTES = 14_104_414  # the captured tree: files plus the symlink's length
TREE_FILE_BYTES = 14_104_409


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_a_whole_fast_run_ends_with_every_entry_checked() -> None:
    p = progress.parse(read("fast.out"))
    assert p is not None
    assert p.bytes_done == TREE_FILE_BYTES
    assert (p.files_done, p.files_total) == (157, 157)
    assert p.files_total_stable
    assert p.eta_seconds == 0
    # the percentages seen bound the real total (which includes the symlink's 5 bytes)
    assert p.bytes_total_low is not None and p.bytes_total_high is not None
    assert p.bytes_total_low <= TREE_BYTES <= p.bytes_total_high
    assert p.records == 156


def test_records_separate_eta_lines_from_file_lines() -> None:
    recs = progress.records(read("bwlimit_no_inc_recursive.out"))
    eta_lines = [r for r in recs if not r.is_xfr]
    assert [r.seconds for r in eta_lines[1:]] == [2, 1, 0]  # ETAs counting down
    assert eta_lines[1].bytes_done == 4_348_199 and eta_lines[1].percent == 30
    assert abs(eta_lines[1].rate_bps - 3.91 * 1024 * 1024) < 1
    first_file = next(r for r in recs if r.is_xfr)
    assert (first_file.xfr, first_file.files_left, first_file.files_total) == (1, 155, 157)
    assert first_file.files_done == 2


def test_the_time_column_is_an_eta_only_on_lines_without_xfr() -> None:
    data = (b"\r     21,573,638  10%   19.56MB/s    0:00:08  "
            b"\r     39,472,307  19%   19.85MB/s    0:00:01 (xfr#399, to-chk=1617/2021)")
    p = progress.parse(data)
    assert p is not None
    assert p.elapsed_seconds == 1
    assert p.files_done == 404 and p.files_total == 2021
    # the ETA comes from the size left and the rate, not from "0:00:01"
    assert p.eta_seconds is not None and p.eta_seconds > 5
    only_eta = progress.parse(data.split(b"\r")[1].join([b"\r", b""]))
    assert only_eta is not None and only_eta.eta_seconds == 8 and only_eta.files_total is None


def test_ir_chk_marks_an_unstable_total() -> None:
    p = progress.parse(read("ir_chk_head.out"))
    assert p is not None
    assert not p.files_total_stable
    recs = progress.records(read("ir_chk_head.out"))
    totals = [r.files_total for r in recs if r.files_total is not None]
    assert totals[0] < totals[-1]  # the total grows while the list is built
    assert all(r.incremental for r in recs if r.is_xfr)


def test_a_killed_run_and_a_full_disk_keep_their_last_progress() -> None:
    killed = progress.parse(read("sigterm.out"))
    assert killed is not None and killed.percent == 30 and killed.files_done == 54
    full = progress.parse(read("disk_full.out"))
    assert full is not None and full.files_done == 96 and full.files_total == 157


def test_scanning_before_any_file_moved() -> None:
    assert progress.parse(b"") is None
    p = progress.parse(b"\r              0   0%    0.00kB/s    0:00:00  ")
    assert p is not None and p.scanning
    assert not progress.parse(read("fast.out")).scanning  # type: ignore[union-attr]


def test_a_tail_cut_inside_a_number_is_not_misread() -> None:
    data = read("fast.out")
    rec = b"\r    186,399,549  99%  180.11MB/s    0:00:00 (xfr#2004, to-chk=0/2026)"
    cut = rec[6:]  # "86,399,549 99% ..." would be a valid-looking record with the wrong number
    p = progress.parse(cut)
    assert p is None
    p2 = progress.parse(data[-500:])
    assert p2 is not None and p2.bytes_done == TREE_FILE_BYTES


@given(st.integers(min_value=0, max_value=10_676), st.sampled_from(
    ["fast.out", "bwlimit_no_inc_recursive.out", "sigterm.out", "disk_full.out", "ir_chk_head.out"]))
def test_any_tail_gives_only_numbers_that_really_appear(offset: int, name: str) -> None:
    data = read(name)
    whole = {(r.bytes_done, r.files_left) for r in progress.records(data)}
    for r in progress.records(data[offset:]):
        assert (r.bytes_done, r.files_left) in whole


@given(st.binary(max_size=400))
def test_garbage_never_raises(data: bytes) -> None:
    p = progress.parse(data)
    if p is not None:
        assert p.bytes_done >= 0 and 0 <= p.percent <= 100


def test_human_readable_numbers_and_unknown_eta() -> None:
    r = progress.parse_record(b"          1.23G  42%   10.50MB/s    ??:??:??")
    assert r is not None and r.bytes_done == int(1.23 * 1024**3) and r.seconds is None
    assert progress.parse_record(b"  12  101%  1.00kB/s  0:00:00") is None
    assert progress.parse_record(b"  12  50%  1.00kB/s  0:00:00 (xfr#1, to-chk=9/3)") is None
