"""An import's state from its state directory's files (captured rsync output inside)."""

from __future__ import annotations

import json
from pathlib import Path

from cockpit.severity import Severity
from cockpit.transfers.classify import classify
from cockpit.transfers.dump import RawImport
from cockpit.transfers.model import TransferState

DATA = Path(__file__).parent.parent / "data" / "transfers"
NOW = 1_800_000_000
META = json.dumps({"run": "r1", "site": "acme", "source": "backup1:/backup/storage/acme",
                   "destination": "web2:/storage/acme", "started_at": "2026-11-26T00:00:00Z",
                   "started_by": "root@vm (pid 1)", "resumes": 1}).encode()


def raw(alive: tuple[str, ...] = (), mtime: int = NOW, changes: int | None = None, **files: bytes) -> RawImport:
    r = RawImport("acme", files={"meta.json": META, "job.pid": b"10 555 1",
                                 **{k.replace("_", "."): v for k, v in files.items()}},
                  alive=set(alive), log_mtime=mtime, changes=changes, complete=True)
    return r


def state(r: RawImport, stall: float = 60):  # type: ignore[no-untyped-def]
    return classify(r, now=NOW, stall_seconds=stall, key="acme@web2", destination_host="web2")


def test_scanning_then_running_with_progress() -> None:
    assert state(raw(("job.pid", "pid"), log=b"")).state is TransferState.SCANNING
    log = (DATA / "bwlimit_no_inc_recursive.out").read_bytes()[:4000]
    s = state(raw(("job.pid", "pid"), log=log))
    assert s.state is TransferState.RUNNING
    assert s.bytes_done > 0 and s.files_total == 157 and s.rate_bps and s.rate_bps > 0
    assert s.source == "backup1:/backup/storage/acme" and s.resumes == 1 and s.run == "r1"
    assert s.severity is Severity.OK


def test_stalled_when_the_log_is_quiet_longer_than_the_threshold() -> None:
    log = (DATA / "bwlimit_no_inc_recursive.out").read_bytes()[:4000]
    s = state(raw(("job.pid", "pid"), mtime=NOW - 61, log=log))
    assert s.state is TransferState.STALLED and s.reason == "no progress for 61 s"
    assert s.severity is Severity.WARNING and s.eta_seconds is None
    assert state(raw(("job.pid", "pid"), mtime=NOW - 59, log=log)).state is TransferState.RUNNING


def test_killed_rsync_fails_with_the_signal() -> None:
    s = state(raw(exit=b"137 1799999999\n", log=(DATA / "sigterm.out").read_bytes()))
    assert s.state is TransferState.FAILED and s.exit_code == 137
    assert s.reason == "137: killed by SIGKILL" and s.severity is Severity.CRITICAL
    assert s.files_done == 54  # the progress it had reached


def test_disk_full_fails_with_code_11_and_rsync_says_why() -> None:
    s = state(raw(exit=b"11 1799999999\n", log=(DATA / "disk_full.out").read_bytes(),
                  err=(DATA / "disk_full.err").read_bytes()))
    assert s.state is TransferState.FAILED and s.exit_code == 11
    assert s.reason is not None and s.reason.startswith("11: error in file I/O")
    assert any("No space left on device" in e for e in s.errors)


def test_ssh_loss_and_cancel() -> None:
    s = state(raw(exit=b"255 1\n", err=(DATA / "ssh_timeout.err").read_bytes()))
    assert s.reason is not None and s.reason.startswith("255: ssh error")
    c = state(raw(exit=b"20 1\n", cancelled=b"1799999990 alice@laptop (pid 7)\n"))
    assert c.state is TransferState.FAILED and c.reason == "cancelled by alice@laptop (pid 7)"


def test_done_then_verifying_then_verified_with_exact_totals() -> None:
    done = state(raw(exit=b"0 1\n", log=(DATA / "fast.out").read_bytes()))
    assert done.state is TransferState.DONE
    verifying = state(raw(("verify.pid",), exit=b"0 1\n", verify_pid=b"12 99 2"))
    assert verifying.state is TransferState.VERIFYING
    stats = (DATA / "verify_clean.out").read_bytes()
    ok = state(raw(exit=b"0 1\n", verify_exit=b"0 2\n", verify_changes=b"", verify_stats=stats,
                   verify_local=b"f 152 14104409\nd 4 16384\nl 1 5\n", changes=0, log=(DATA / "fast.out").read_bytes()))
    assert ok.state is TransferState.VERIFIED, ok.reason
    assert ok.bytes_total == ok.bytes_done == 14_104_414 and ok.files_done == ok.files_total == 157
    assert ok.percent == 100.0


def test_unverified_lists_the_differences() -> None:
    s = state(raw(exit=b"0 1\n", verify_exit=b"0 2\n", verify_changes=b">f+++++++++ inbox/a b.eml\n",
                  verify_stats=(DATA / "verify_clean.out").read_bytes(),
                  verify_local=b"f 151 14100000\nd 4 16384\nl 1 5\n", changes=1))
    assert s.state is TransferState.UNVERIFIED and s.severity is Severity.CRITICAL
    assert s.verification is not None
    assert s.verification.differences[0] == "missing on the destination: file inbox/a b.eml"
    # the destination's own counts are what is done: one file and its bytes short of the source's
    assert (s.files_done, s.files_total) == (156, 157) and s.bytes_total == 14_104_414
    assert s.bytes_done == 14_100_000 + 5 and s.percent is not None and s.percent < 100


def test_a_verification_older_than_the_import_does_not_count() -> None:
    s = state(raw(exit=b"23 50\n", verify_exit=b"0 10\n", verify_stats=b"", verify_local=b""))
    assert s.state is TransferState.FAILED and s.exit_code == 23


def test_a_job_that_vanished_without_an_exit_status_is_failed_interrupted() -> None:
    s = state(raw(log=(DATA / "sigterm.out").read_bytes()))
    assert s.state is TransferState.FAILED and s.exit_code is None
    assert s.reason is not None and s.reason.startswith("interrupted")


def test_garbage_state_files_never_raise() -> None:
    r = RawImport("acme", files={"meta.json": b"\xff{not json", "exit": b"\x00\x01 zz", "pid": b"-1",
                                 "log": b"\r garbage \r\x1b[31m", "verify.exit": b"x"}, alive={"nonsense"})
    s = state(r)
    assert s.state is TransferState.FAILED and s.source == "?"


def test_every_exit_code_the_issue_names_has_its_meaning() -> None:
    from cockpit.transfers.exitcodes import meaning

    assert meaning(23) == "partial transfer due to error (some files were not transferred)"
    assert meaning(24) == "partial transfer due to vanished source files"
    assert meaning(30) == "timeout in data send/receive"
    assert meaning(255).startswith("ssh error")
    assert meaning(11).startswith("error in file I/O")
    assert meaning(137) == "killed by SIGKILL" and meaning(143) == "killed by SIGTERM"
    assert meaning(99) == "exit status 99" and meaning(None).startswith("no exit status")
    partial = state(raw(exit=b"23 1\n"))
    assert partial.state is TransferState.FAILED and partial.exit_code == 23
    assert partial.reason == "23: partial transfer due to error (some files were not transferred)"


def test_the_cause_is_rsyncs_first_message_not_its_closing_summary() -> None:
    full = state(raw(exit=b"11 1\n", err=(DATA / "disk_full.err").read_bytes()))
    assert full.cause == '[receiver] write failed on "/srv/d/inbox/mail 45.eml": No space left on device (28)'
    hung = state(raw(exit=b"255 1\n", err=(DATA / "ssh_timeout.err").read_bytes()))
    assert hung.cause == "Timeout, server 198.18.41.101 not responding."
    # a stopped rsync says only its exit code and a broken pipe: the reason (the exit code's meaning) is all
    assert state(raw(exit=b"20 1\n", err=(DATA / "sigterm.err").read_bytes())).cause is None
    assert state(raw(exit=b"137 1\n")).cause is None
