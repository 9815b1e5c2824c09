"""Engine host states -> the disk pane's rows (pure functions, no Textual).

One row per host and mount. Hosts cockpit cannot use (unreachable, untrusted,
error) get a single red row with their error and come first. Then hosts worst
first, and inside a host its mounts worst first. RAID and kernel findings are
host-wide, so every row of a host shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from cockpit.disk.model import KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import DOWN, HostState, Reach
from cockpit.severity import Severity, worst
from widgets import palette
from widgets.host_text import host_text, join_host_texts
from widgets.keyed_table import TableRow
from widgets.severity_style import SEVERITY, reach_text, severity_text

COLUMNS: tuple[tuple[str, str], ...] = (
    ("host", "Host"),
    ("mount", "Mount"),
    ("state", "State"),
    ("used", "Used"),
    ("inodes", "Inodes"),
    ("raid", "RAID"),
    ("kernel", "I/O err"),
    ("detail", "Detail"),
)

DETAIL_LIMIT = 160  # the host detail screen shows everything; the table stays scannable
_NONE = Text("", end="")


def disk_rows(hosts: Iterable[HostState]) -> list[TableRow]:
    rows: list[TableRow] = []
    for state in hosts:
        rows.extend(host_rows(state))
    return rows


def looks_same(new: HostState, old: HostState) -> bool:
    """Everything a host's rows (and the pane's headline) show is the same: not the sweep's time."""
    return (new.name == old.name and new.reach is old.reach and new.error == old.error
            and new.disk is old.disk)


class DiskRows:
    """:func:`disk_rows` that builds rows anew only for the hosts that changed since the last call.

    A host that looks the same (:func:`looks_same`: the engine keeps an unchanged disk report) gets
    the very rows it got last time, which :meth:`KeyedTable.sync` skips without comparing cells: one
    changed host cost a render of every host's rows (1,000 hosts: one 100-300 ms step of the UI's loop)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[HostState, list[TableRow]]] = {}

    def rows(self, hosts: Iterable[HostState]) -> list[TableRow]:
        out: list[TableRow] = []
        kept: dict[str, tuple[HostState, list[TableRow]]] = {}
        for state in hosts:
            hit = self._last.get(state.name)
            rows = hit[1] if hit is not None and looks_same(state, hit[0]) else host_rows(state)
            kept[state.name] = (state, rows)
            out.extend(rows)
        self._last = kept  # hosts no longer shown are forgotten
        return out


def host_rows(state: HostState) -> list[TableRow]:
    # hosts cockpit cannot use come first, in red, one row each
    host_order = (0 if state.reach in DOWN else 1, -state.severity.rank, state.name)
    name = Text(state.name, style="bold", end="")
    if state.reach is not Reach.UP or state.disk is None:
        return [_host_only_row(state, name, host_order)]
    report = state.disk
    raid, kernel = raid_cell(report.raid), kernel_cell(report.kernel)
    rows: list[TableRow] = []
    seen: dict[str, int] = {}
    for m in report.mounts:
        n = seen[m.mountpoint] = seen.get(m.mountpoint, 0) + 1
        key = f"{state.name}\0{m.mountpoint}" + (f"\0{n}" if n > 1 else "")
        rows.append(TableRow(key, state.name, (*host_order, -m.severity.rank, m.mountpoint, n),
                             (name, _mount_cell(m), severity_text(m.severity), percent_cell(m.used_percent),
                              percent_cell(m.inodes_used_percent), raid, kernel,
                              join_host_texts(list(m.reasons), limit=DETAIL_LIMIT))))
    if report.errors or not rows:
        problems = list(report.errors) or ["the probe reported no mounts"]
        rows.append(TableRow(f"{state.name}\0!probe", state.name, (*host_order, -Severity.UNKNOWN.rank, "", 0),
                             (name, Text("(probe)", style="dim", end=""), severity_text(Severity.UNKNOWN),
                              _NONE, _NONE, raid, kernel, join_host_texts(problems, limit=DETAIL_LIMIT))))
    return rows


def _host_only_row(state: HostState, name: Text, host_order: tuple[int, int, str]) -> TableRow:
    if state.reach is Reach.PENDING:
        detail = Text("waiting for the first sweep", style="dim", end="")
        status = reach_text(state.reach)
    elif state.reach is Reach.UP:  # up, but no disk report: should not happen, say so
        detail = Text("no disk report", end="")
        status = severity_text(Severity.UNKNOWN)
    else:
        detail = host_text(state.error or state.reach.value, style=palette.style("bad"), limit=DETAIL_LIMIT)
        status = reach_text(state.reach)
        name = Text(state.name, style=palette.style("critical"), end="")
    return TableRow(f"{state.name}\0", state.name, (*host_order, 0, "", 0),
                    (name, Text("—", style="dim", end=""), status, _NONE, _NONE, _NONE, _NONE, detail))


def _mount_cell(m: MountStatus) -> Text:
    cell = host_text(m.mountpoint, limit=60)
    if m.missing:
        cell.append(" (missing)", style="bold")
    return cell


def percent_cell(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim", end="")
    return Text(f"{value:.0f}%", end="", justify="right")


def raid_cell(arrays: tuple[RaidStatus, ...]) -> Text:
    """The host's worst array, compactly: ``✗ md0 1/2`` (members up), ``▲ md1 45%``; ``—`` without RAID."""
    if not arrays:
        return Text("—", style="dim", end="")
    sev = worst(a.severity for a in arrays)
    look = SEVERITY[sev]
    if sev is Severity.OK:
        return look.short(f"{len(arrays)} clean" if len(arrays) > 1 else host_text(arrays[0].device, limit=16).plain)
    a = next(a for a in arrays if a.severity is sev)
    words = [host_text(a.device, limit=16).plain]
    if a.progress_percent is not None:
        words.append(f"{a.progress_percent:.0f}%")
    elif a.members_up is not None and a.members_total is not None and a.members_up < a.members_total:
        words.append(f"{a.members_up}/{a.members_total}")
    else:
        words.append(host_text(a.state, limit=12).plain)
    return look.short(" ".join(words))


def kernel_cell(k: KernelLog) -> Text:
    """Count of kernel I/O error lines with the evaluation's severity; an unreadable
    log is never shown as "no errors"."""
    if not k.readable:
        return SEVERITY[Severity.UNKNOWN].short("no log")
    return SEVERITY[k.severity].short(str(k.count))

