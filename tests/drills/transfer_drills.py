"""The /storage import drills: rsync killed, the source gone mid-import, the
destination disk full. Each starts a real import (rsync on standby1 pulling
from backup1) through the app's own engine, as the import key does after its
confirm (the confirm itself is tested with the actions), and recovers with a
resume in the same app."""

from __future__ import annotations

import asyncio
import contextlib

from drillkit import Drill

from cockpit.lab import Lab
from cockpit.transfers.engine import TransferError
from widgets.transfers_pane import TransfersPane

SITE, DEST, SOURCE = "acme", "standby1", "backup1"
MOVING = ("▶ running", "… verifying", "• done", "✓ VERIFIED")  # the pane's labels of an import going on


def clean_lab(lab: Lab) -> None:
    """No copy and no import state of the site on the destination (as the transfers tests do)."""
    lab.exec(DEST, ["sh", "-c", f"for p in $(cut -d' ' -f1 /var/lib/cockpit/imports/{SITE}/pid "
                                  f"/var/lib/cockpit/imports/{SITE}/verify.pid 2>/dev/null); do kill $p; done; "
                                  f"rm -rf /storage/{SITE} /storage/.cockpit-import-tmp/{SITE} "
                                  f"/var/lib/cockpit/imports/{SITE}"])


async def clean(d: Drill) -> None:
    await asyncio.to_thread(clean_lab, d.lab)


def shows(d: Drill, *labels: str) -> bool:
    return any(SITE in r and any(label in r for label in labels) for r in d.pane_rows("transfers"))


def exit_shown(d: Drill) -> int | None:
    """The exit code of the site's import as the pane has it (its detail line shows it with the reason)."""
    pane = d.app.dashboard.query_one(TransfersPane)
    return next((s.exit_code for s in pane.statuses if s.site == SITE), None)


async def _start(d: Drill) -> None:
    await clean(d)
    r = await d.app.engine.transfers.start(SITE)
    assert r.done, r.message


async def _resume_runs(d: Drill) -> None:
    r = await d.app.engine.transfers.resume(SITE)
    assert r.done, r.message
    await d.until(lambda: shows(d, *MOVING), "the resumed import to run",
                  pane="transfers")


async def finish(d: Drill) -> None:
    """Leave nothing behind (clean kills by the recorded pid too, so a failed cancel is no loss)."""
    with contextlib.suppress(TransferError):
        await d.app.engine.transfers.cancel(SITE)
    await clean(d)


async def rsync_killed(d: Drill) -> None:
    await _start(d)
    try:
        await d.until(lambda: shows(d, "▶ running"), "the import to run", pane="transfers")
        await d.fault(DEST, "kill-rsync")
        await d.until(lambda: shows(d, "FAILED"), "the killed import to show FAILED", pane="transfers")
        await d.keeps_updating("dns")
        await d.answers_keys()
        await d.heal(DEST)
        await _resume_runs(d)
    finally:
        await finish(d)


async def source_gone(d: Drill) -> None:
    await _start(d)
    try:
        await d.until(lambda: shows(d, "▶ running"), "the import to run", pane="transfers")
        await d.fault(SOURCE, "hang-ssh")
        try:
            # no progress (STALLED), or rsync's own SSH to the source gave up first (FAILED): both are right
            await d.until(lambda: shows(d, "STALLED", "FAILED"), "the import to show STALLED or FAILED",
                          pane="transfers")
            await d.keeps_updating("dns")
            await d.answers_keys()
        finally:
            await d.heal(SOURCE)
        if shows(d, "FAILED"):
            await _resume_runs(d)
        await d.until(lambda: shows(d, *MOVING), "the import to move again",
                      pane="transfers")
    finally:
        await finish(d)


async def destination_full(d: Drill) -> None:
    await d.fault(DEST, "fill", "/storage", "92")
    try:
        await _start(d)
        await d.until(lambda: shows(d, "FAILED") and exit_shown(d) == 11, "the import to fail on the full disk "
                      "(rsync exit 11, not a FAILED row left by the drill before)", pane="transfers")
        await d.keeps_updating("dns")
        await d.answers_keys()
        await d.heal(DEST)
        await _resume_runs(d)
    finally:
        await d.heal(DEST)
        await finish(d)
