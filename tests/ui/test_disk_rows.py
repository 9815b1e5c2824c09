"""The disk pane's rows: order, escaping, and what each cell says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from rich.text import Text
from ui_states import CHECKED, HOSTILE, down, filling, healthy, hostile, mixed_fleet, ro_root

from cockpit.disk.model import KernelLog
from cockpit.engine.hoststate import Reach
from cockpit.severity import Severity
from widgets.disk_rows import COLUMNS, DiskRows, disk_rows, kernel_cell, raid_cell

COL = {key: i for i, (key, _) in enumerate(COLUMNS)}


def cell(row_cells: tuple[Text, ...], col: str) -> str:
    return row_cells[COL[col]].plain


def ordered(hosts: dict) -> list:  # type: ignore[type-arg]
    return sorted(disk_rows(hosts.values()), key=lambda r: (*r.order, r.key))


def test_hosts_cockpit_cannot_use_come_first_then_worst_first() -> None:
    rows = ordered(mixed_fleet())
    hosts = [r.group for r in rows]
    # unreachable and untrusted: one row each, at the top (names order equal severities)
    assert hosts[:2] == ["db1", "web3"]
    # then web1 (critical), mail1 (warning), then the healthy ones
    assert hosts[2:4] == ["web1", "web1"] and hosts[4:6] == ["mail1", "mail1"]
    assert set(hosts[6:]) == {"standby1", "web2"}
    # inside a host, its worst mount first
    assert [cell(r.cells, "mount") for r in rows if r.group == "web1"] == ["/", "/storage"]


def test_a_down_host_is_one_red_row_with_its_error() -> None:
    (row,) = disk_rows([down("web3", Reach.UNREACHABLE, "no answer within 12 s")])
    assert cell(row.cells, "state") == "✗ UNREACHABLE"
    assert cell(row.cells, "detail") == "no answer within 12 s"
    assert "red" in str(row.cells[COL["host"]].style)


def test_severity_is_a_word_and_a_symbol_not_only_a_colour() -> None:
    rows = {cell(r.cells, "mount"): r for r in disk_rows([ro_root("web1")])}
    assert cell(rows["/"].cells, "state") == "✗ CRIT"
    assert cell(rows["/storage"].cells, "state") == "▲ WARN"
    assert cell(disk_rows([healthy("web2")])[0].cells, "state") == "✓ OK"


def test_raid_and_kernel_cells() -> None:
    web1 = ro_root("web1").disk
    mail1 = filling("mail1").disk
    assert web1 is not None and mail1 is not None
    assert raid_cell(web1.raid).plain == "✗ md0 1/2"
    assert raid_cell(mail1.raid).plain == "▲ md1 45%"
    assert raid_cell(()).plain == "—"
    assert kernel_cell(web1.kernel).plain == "✗ 3"
    assert kernel_cell(KernelLog(readable=True, count=0, severity=Severity.OK)).plain == "✓ 0"
    assert kernel_cell(KernelLog(readable=True, count=2, severity=Severity.WARNING)).plain == "▲ 2"
    # an unreadable log is never "no errors"
    assert kernel_cell(mail1.kernel).plain == "? no log"


def test_host_strings_are_literal_text_never_markup_or_escapes() -> None:
    rows = disk_rows([hostile("evil")])
    for row in rows:
        for c in row.cells:
            assert isinstance(c, Text)
            assert "\x1b" not in c.plain
            assert not c.spans or all("link" not in str(s.style) for s in c.spans)
    mount_row = next(r for r in rows if cell(r.cells, "mount").startswith("/srv/"))
    assert "[bold red]x[/]" in cell(mount_row.cells, "mount")
    assert "[link=http://evil]y[/link]" in cell(mount_row.cells, "detail")
    probe_row = next(r for r in rows if r.key.endswith("!probe"))
    assert "df: [bold red]x[/]" in cell(probe_row.cells, "detail")
    assert HOSTILE not in cell(mount_row.cells, "mount")  # the ESC bytes are gone


def test_row_keys_are_unique_even_for_a_mount_listed_twice() -> None:
    state = healthy("web2")
    assert state.disk is not None
    doubled = state.disk.mounts + state.disk.mounts[:1]
    from dataclasses import replace

    rows = disk_rows([replace(state, disk=replace(state.disk, mounts=doubled))])
    assert len({r.key for r in rows}) == len(rows) == 3


def test_kept_rows_are_reused_only_for_hosts_that_look_the_same() -> None:
    fleet = mixed_fleet()
    rows = DiskRows()
    first = rows.rows(fleet.values())
    assert first == disk_rows(fleet.values())
    later = CHECKED + timedelta(seconds=5)
    same = {n: replace(h, checked_at=later) for n, h in fleet.items()}  # same reports, a newer sweep
    second = rows.rows(same.values())
    assert len(second) == len(first) and all(a is b for a, b in zip(second, first, strict=True))
    changed = {**same, "web2": filling("web2"), "db1": down("db1", Reach.UNTRUSTED, "host key CHANGED")}
    third = rows.rows(changed.values())
    assert third == disk_rows(changed.values())  # what computing afresh gives
    fresh = {r.key for r in third if not any(r is old for old in first)}
    assert {r.key.split("\0")[0] for r in third if r.key in fresh} == {"web2", "db1"}
    assert rows.rows([fleet["web2"]]) == disk_rows([fleet["web2"]])  # hosts gone are forgotten
