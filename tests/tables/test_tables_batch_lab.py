"""Several statements sent at once (how CHECKs go to a server) against a real
lab MariaDB: each keeps its own result, its own time limit, and an error stops
the rest. Nothing asserts how fast things happen: the limits have wide margins."""

from __future__ import annotations

import contextlib

import pytest

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.transport.mysql import QueryFailed, QueryTimeout

pytestmark = [pytest.mark.lab]


async def test_each_statement_has_its_own_result_and_an_error_stops_the_rest(lab: Lab) -> None:
    e = Engine(load_inventory(lab.inventory_path), read_only=True)
    site = e.tables.site("acme")
    try:
        s = await e.tables.servers.connect("web1", site.mysql, multi_statements=True)
        with contextlib.closing(s):
            got = []
            with pytest.raises(QueryFailed, match="no_such_table"):
                async for rows in s.each(["SELECT 1", "SET @after = 0", "SELECT * FROM acme.no_such_table",
                                          "SET @after = 1"], [30.0] * 4):
                    got.append(rows)
            assert got == [[(1,)], []]
            assert not s.closed and await s.query("SELECT @after") == [(0,)]  # the last one never ran

            # three statements of 1 s under a 2.5 s limit each: 3 s in all is fine
            got = [rows async for rows in s.each(["SELECT SLEEP(1)"] * 3, [2.5] * 3)]
            assert got == [[(0,)]] * 3
            with pytest.raises(QueryTimeout):
                async for _ in s.each(["SELECT 1", "SELECT SLEEP(30)"], [30.0, 1.0]):
                    pass
            assert s.closed  # what the server still runs for it must not be read as an answer later
    finally:
        await e.close()
