"""The transfers pane against a real import in the lab: it follows the import to
VERIFIED, and `v` verifies it again and finds a damaged file."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets.data_table import CellDoesNotExist
from transferslab import DEST, SAFETY, clean, engine

from cockpit.lab import Lab
from screens.app import CockpitApp
from widgets.keyed_table import KeyedTable
from widgets.transfers_pane import TransfersPane

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]
SITE = "globex"
KEY = f"{SITE}@{DEST}"


async def _until_state(pilot, table: KeyedTable, word: str) -> str:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SAFETY
    state = ""
    while loop.time() < deadline:
        await pilot.pause(0.2)
        try:
            state = table.get_cell(KEY, "state").plain
        except CellDoesNotExist:  # the row is not there yet
            continue
        if word in state:
            return state
    raise AssertionError(f"{KEY} never showed {word!r}; last: {state!r}")


async def test_the_pane_follows_a_real_import_and_v_verifies_it_again(lab: Lab) -> None:
    clean(lab, SITE)
    e = engine(lab, bwlimit_kbps=4000)
    app = CockpitApp(e)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("3")
            pane = app.dashboard.query_one(TransfersPane)
            table = pane.query_one("#transfers-table", KeyedTable)
            r = await e.transfers.start(SITE)
            assert r.done
            await _until_state(pilot, table, "running")
            await _until_state(pilot, table, "VERIFIED")
            assert table.get_cell(KEY, "progress").plain.endswith("100%")
            damage = (f"f='/storage/{SITE}/unparsed/00010 ticket 10.eml'; t=$(stat -c %Y \"$f\"); "
                      "printf Z | dd of=\"$f\" bs=1 seek=3 conv=notrunc 2>/dev/null; touch -d @$t \"$f\"")
            lab.exec(DEST, ["sh", "-c", damage])
            table.focus()
            table.move_cursor(row=table.get_row_index(KEY))
            await pilot.pause()
            await pilot.press("v")
            await _until_state(pilot, table, "UNVERIFIED")
            await pilot.pause(0.6)
            detail = str(pane.query_one("#transfers-detail").render())
            assert "differs (checksum): file unparsed/00010 ticket 10.eml" in detail
    finally:
        await e.close()
        clean(lab, SITE)
