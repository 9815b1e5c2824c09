"""Real imports in the lab: rsync on standby1 pulling from backup1 over the hosts' own SSH.

Faults are real: kill-rsync SIGKILLs rsync on the destination, hang-ssh
SIGSTOPs the source's sshd, fill fills the destination's /storage.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from transferslab import DEST, SOURCE, audited, clean, engine, tree_listing, until

from cockpit import clock
from cockpit.lab import Lab
from cockpit.severity import Severity
from cockpit.status.document import status_document
from cockpit.transfers.model import TransferState

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


@pytest.fixture
def site(lab: Lab, request: pytest.FixtureRequest) -> Iterator[str]:
    name = getattr(request, "param", "acme")
    clean(lab, name)
    yield name
    clean(lab, name)


def same_tree(lab: Lab, site: str) -> bool:
    return tree_listing(lab, SOURCE, f"/backup/storage/{site}") == tree_listing(lab, DEST, f"/storage/{site}")


async def test_a_full_import_ends_verified_with_every_file_and_odd_name_intact(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=8000)
    try:
        first = await e.transfers.start(site)
        assert first.done and "started on standby1" in first.message
        again = await e.transfers.start(site)  # starting twice shows the running one
        assert not again.done and "already" in again.message
        assert again.status is not None and again.status.run == first.status.run  # type: ignore[union-attr]
        await until(e, site, lambda s: s.state is TransferState.RUNNING, what="running")
        done = await until(e, site, lambda s: s.state is TransferState.VERIFIED, what="verified")
        assert done.files_done == done.files_total and done.files_total and done.files_total > 2000
        assert done.bytes_done == done.bytes_total and done.bytes_total and done.bytes_total > 20 * 1024 * 1024
        assert done.verification is not None and done.verification.source == done.verification.destination
        assert same_tree(lab, site)  # checksums of every file, names byte for byte (newline, latin-1, '-rf'...)
        count = f"find /storage/{site}/attachments/*Ma* -type f -printf . | wc -c"
        odd = lab.exec(DEST, ["sh", "-c", count]).stdout.strip()
        assert odd == b"15"
        doc = status_document(e)
        entry = next(t for t in doc["transfers"] if t["site"] == site)
        assert entry["state"] == "verified" and entry["destination"] == f"{DEST}:/storage/{site}"
        assert entry["source"] == f"{SOURCE}:/backup/storage/{site}" and entry["exit_code"] == 0
    finally:
        await e.close()


async def test_killed_at_half_then_resumed_ends_verified_and_intact(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=4000)
    try:
        await e.transfers.start(site)
        half = await until(e, site, lambda s: s.state is TransferState.RUNNING and (s.percent or 0) >= 40,
                           what="at 40 %")
        lab.fault(DEST, "kill-rsync")
        failed = await until(e, site, lambda s: s.state is TransferState.FAILED, what="failed")
        assert failed.exit_code == 137 and failed.reason == "137: killed by SIGKILL"
        assert failed.severity is Severity.CRITICAL
        assert failed.bytes_done >= half.bytes_done  # the progress it had reached
        assert not same_tree(lab, site)
        fast = engine(lab)  # resume at full speed (another cockpit, the same state on the host)
        try:
            r = await fast.transfers.resume(site)
            assert r.done
            done = await until(fast, site, lambda s: s.state is TransferState.VERIFIED, what="verified")
            assert done.resumes == 1 and done.run != failed.run
        finally:
            await fast.close()
        assert same_tree(lab, site)  # nothing missing, nothing extra (no temp file of the killed run)
        # the audit has the start, the failure (when rsync died on the host), the resume and the verification
        records = audited(e, f"{site}@{DEST}", {failed.run, done.run})
        assert [(r["kind"], r["run"]) for r in records] == [
            ("import-start", failed.run), ("import-failed", failed.run), ("import-resume", done.run),
            ("import-verified", done.run)]
        died = records[1]
        assert died["exit_code"] == 137 and died["reason"] == "137: killed by SIGKILL"
        assert died["happened_at"] == clock.iso(failed.updated_at) and str(died["at"]) >= str(died["happened_at"])
        assert all(r["at"] for r in records) and records[3]["happened_at"] == clock.iso(done.updated_at)
    finally:
        await e.close()


@pytest.mark.drill("cockpit gone during an import: a new one reattaches (engine)")
async def test_a_restarted_cockpit_reattaches_and_cancel_stops_the_recorded_rsync(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=2000)
    since = clock.iso(clock.now()) or ""
    await e.transfers.start(site)
    before = await until(e, site, lambda s: s.state is TransferState.RUNNING and s.bytes_done > 0, what="running")
    # detached: rsync's session is the job shell's own (setsid), not the SSH session that started it;
    # its log, pid and (later) exit status are in the import's state directory on the destination
    state = f"/var/lib/cockpit/imports/{site}"
    probe = (f"cd {state} && ls && read jp _ < job.pid && read rp _ < pid && "
             "echo sid $(cut -d')' -f2 /proc/$rp/stat | cut -d' ' -f5) job $jp")
    out = lab.exec(DEST, ["sh", "-c", probe]).stdout.decode().split()
    assert {"log", "err", "pid", "job.pid", "job.sh", "meta.json"} <= set(out) and "exit" not in out
    assert out[-3] == out[-1]  # the session id of rsync is the job shell's pid: setsid
    await e.close()  # the cockpit goes away: its SSH connection closes; the import does not care
    again = engine(lab, bwlimit_kbps=2000)
    try:
        found = await until(again, site, lambda s: s.state is TransferState.RUNNING, what="running again")
        assert found.run == before.run and found.started_at == before.started_at
        assert found.bytes_done >= before.bytes_done and found.files_total == before.files_total
        assert found.pid == before.pid
        r = await again.transfers.cancel(site)
        assert r.done and f"rsync pid {before.pid}" in r.message
        stopped = await until(again, site, lambda s: s.state is TransferState.FAILED, what="stopped")
        assert stopped.exit_code == 20 and stopped.reason is not None and stopped.reason.startswith("cancelled by")
        assert lab.exec(DEST, ["cat", f"{state}/exit"]).stdout.split()[0] == b"20"  # recorded by the job
        nothing = await again.transfers.cancel(site)
        assert not nothing.done
        cancels = [r for r in audited(again, f"{site}@{DEST}", set())
                   if r["kind"] == "import-cancel" and str(r["at"]) >= since]
        assert len(cancels) == 1 and cancels[0]["signalled"] == f"rsync pid {before.pid}"  # the one that acted
    finally:
        await again.close()


async def test_the_import_survives_the_loss_of_the_cockpits_ssh_connection(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=2000)
    try:
        await e.transfers.start(site)
        before = await until(e, site, lambda s: s.state is TransferState.RUNNING and s.bytes_done > 0,
                             what="running")
        lab.fault(DEST, "kill-ssh")  # sshd and every session on the destination die: the cockpit's link is gone
        gone = await until(e, site, lambda s: s.error is not None, what="marked unreachable")
        assert gone.run == before.run
        lab.heal(DEST, "kill-ssh")
        e.pool.retry_now()
        back = await until(e, site, lambda s: s.error is None and (s.bytes_done > gone.bytes_done or
                                                                   s.state is TransferState.VERIFIED),
                           what="read again, further on")
        # the same detached job went on: its run and (while it runs) its recorded rsync pid
        assert back.run == before.run and back.resumes == 0 and back.state is not TransferState.FAILED
        assert back.state is TransferState.VERIFIED or back.pid == before.pid
    finally:
        lab.heal()
        e.pool.retry_now()
        await e.transfers.cancel(site)
        await e.close()


async def test_a_hung_source_shows_stalled_and_the_import_goes_on_when_it_is_back(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=3000, stall_seconds=2)
    try:
        await e.transfers.start(site)
        await until(e, site, lambda s: s.state is TransferState.RUNNING and s.bytes_done > 0, what="running")
        lab.fault(SOURCE, "hang-ssh")
        stalled = await until(e, site, lambda s: s.state is TransferState.STALLED, what="stalled")
        assert stalled.reason is not None and stalled.reason.startswith("no progress for")
        assert status_document(e)["severity"] in ("warning", "critical", "unknown")
        lab.heal(SOURCE, "hang-ssh")
        await until(e, site, lambda s: s.state in (TransferState.RUNNING, TransferState.VERIFYING,
                                                   TransferState.VERIFIED), what="moving again")
    finally:
        await e.transfers.cancel(site)
        await e.close()


async def test_a_full_destination_fails_with_exit_11_and_says_why(lab: Lab, site: str) -> None:
    lab.fault(DEST, "fill", "/storage", "92")
    e = engine(lab)
    try:
        await e.transfers.start(site)
        failed = await until(e, site, lambda s: s.state is TransferState.FAILED, what="failed")
        assert failed.exit_code == 11 and failed.reason is not None and "file I/O" in failed.reason
        assert any("No space left on device" in line for line in failed.errors)
        doc = status_document(e)
        entry = next(t for t in doc["transfers"] if t["site"] == site)
        assert entry["state"] == "failed" and entry["exit_code"] == 11 and doc["severity"] == "critical"
        assert entry["cause"].endswith("No space left on device (28)")  # rsync's own words, not only the code
    finally:
        await e.close()


async def test_verify_now_finds_a_damaged_file_by_name(lab: Lab, site: str) -> None:
    e = engine(lab)
    try:
        await e.transfers.start(site)
        await until(e, site, lambda s: s.state is TransferState.VERIFIED, what="verified")
        # damage one mail without changing its size or time: only --checksum can see it
        damage = (f"f='/storage/{site}/mail/2024-03/00002 ticket 2.eml'; t=$(stat -c %Y \"$f\"); "
                  "printf Z | dd of=\"$f\" bs=1 seek=5 conv=notrunc 2>/dev/null; touch -d @$t \"$f\"")
        lab.exec(DEST, ["sh", "-c", damage + f"; rm '/storage/{site}/unparsed/00010 ticket 10.eml'"])
        r = await e.transfers.verify(site)
        assert r.done
        bad = await until(e, site, lambda s: s.state is TransferState.UNVERIFIED, what="unverified")
        assert bad.verification is not None
        assert "differs (checksum): file mail/2024-03/00002 ticket 2.eml" in bad.verification.differences
        assert "missing on the destination: file unparsed/00010 ticket 10.eml" in bad.verification.differences
        assert bad.files_total is not None and bad.files_done == bad.files_total - 1  # what the destination holds
        assert bad.severity is Severity.CRITICAL
    finally:
        await e.close()


async def test_an_unreachable_destination_keeps_the_last_state_marked_unknown(lab: Lab, site: str) -> None:
    e = engine(lab, bwlimit_kbps=3000)
    try:
        await e.transfers.start(site)
        running = await until(e, site, lambda s: s.state is TransferState.RUNNING, what="running")
        lab.fault(DEST, "link-down")
        gone = await until(e, site, lambda s: s.error is not None, what="marked unreachable")
        assert gone.state is TransferState.RUNNING and gone.run == running.run  # as last seen, not invented
        assert gone.error is not None and gone.error.startswith(f"{DEST}: ")
        assert gone.severity is Severity.UNKNOWN
        entry = next(t for t in status_document(e)["transfers"] if t["site"] == site)
        assert entry["error"] == gone.error and entry["severity"] == "unknown"
        lab.heal(DEST, "link-down")
        e.pool.retry_now()
        back = await until(e, site, lambda s: s.error is None, what="read again")
        assert back.run == running.run
    finally:
        lab.heal()
        e.pool.retry_now()
        await e.transfers.cancel(site)
        await e.close()
