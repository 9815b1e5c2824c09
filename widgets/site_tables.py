"""One site's tables for the site detail screen (pure functions, no Textual):
engine, rows, size, status and when, and the full CHECK messages (escaped)."""

from __future__ import annotations

from datetime import datetime

import humanize
from rich.text import Text

from cockpit.tables.model import SiteState, TableState, TableStatus
from cockpit.tables.verdict import is_stale
from widgets.host_text import host_text
from widgets.keyed_table import TableRow
from widgets.palette import Role, style

COLUMNS: tuple[tuple[str, str], ...] = (
    ("table", "Table"),
    ("status", "Status"),
    ("engine", "Engine"),
    ("rows", "Rows"),
    ("size", "Size"),
    ("checked", "Checked"),
    ("message", "Last message"),
)

STATUS_LOOK: dict[TableStatus, tuple[str, Role]] = {
    TableStatus.CORRUPT: ("✗ CORRUPT", "critical"),
    TableStatus.SUSPECT: ("✗ SUSPECT", "critical"),
    TableStatus.UNKNOWN: ("? UNKNOWN", "unknown"),
    TableStatus.UNCHECKED: ("… UNCHECKED", "muted"),
    TableStatus.WARNING: ("▲ WARNING", "warning"),
    TableStatus.OK: ("✓ OK", "ok"),
}
_ORDER = {TableStatus.CORRUPT: 0, TableStatus.SUSPECT: 0, TableStatus.UNKNOWN: 1, TableStatus.UNCHECKED: 2,
          TableStatus.WARNING: 3, TableStatus.OK: 4}


def status_text(t: TableState, stale: bool) -> Text:
    label, role = STATUS_LOOK[t.status]
    out = Text(label, style=style(role), end="")
    if stale:
        out.append(" (stale)", style=style("warning"))
    return out


def size_text(t: TableState) -> Text:
    total = (t.info.data_length or 0) + (t.info.index_length or 0)
    if t.info.data_length is None and t.info.index_length is None:
        return Text("—", style="dim", end="")
    return Text(humanize.naturalsize(total, binary=True), end="")


def table_row(t: TableState, now: datetime, stale_after: float | None) -> TableRow:
    stale = is_stale(t, now, stale_after)
    c = t.check
    last = c.error if c is not None and c.error else (c.messages[-2].text if c and len(c.messages) > 1
                                                       else (c.messages[-1].text if c and c.messages else None))
    checked = Text("never", style="dim", end="") if t.checked_at is None else \
        Text(humanize.naturaltime(t.checked_at, when=now), end="")
    rows = Text("—", style="dim", end="") if t.info.rows is None else Text(f"{t.info.rows:,}", end="")
    cells = (host_text(t.info.name, style="bold", limit=64), status_text(t, stale),
             host_text(t.info.engine, missing="?"), rows, size_text(t), checked,
             host_text(last, limit=120, missing=""))
    return TableRow(t.info.name, t.info.name, (_ORDER[t.status], t.info.name), cells)


def messages_text(t: TableState | None, now: datetime) -> Text:
    """Every message of the table's last CHECK, one per line (each escaped)."""
    if t is None:
        return Text("", end="")
    out = Text(end="")
    out.append_text(host_text(t.info.name, style="bold"))  # a table's name comes from the server
    c = t.check
    if c is None:
        out.append(": not checked yet", style="dim")
        return out
    when = humanize.naturaltime(c.checked_at, when=now) if c.checked_at else "?"
    kind = "CHECK TABLE ... EXTENDED" if c.extended else "CHECK TABLE"
    out.append(f"  {kind}, {when}" + (f" ({c.checked_at:%H:%M:%S %Z})" if c.checked_at else ""), style="dim")
    if t.stale:
        out.append(f"\nstale: a later check failed: {t.stale_reason or '?'}", style=style("warning"))
    if c.error:
        out.append("\n").append_text(host_text(c.error, style=style("unknown")))
    for m in c.messages:
        out.append("\n")
        out.append(f"{m.raw_type or m.type:<8} ", style=style("bad") if m.type == "error" else "dim")
        out.append_text(host_text(m.text))
    if t.info.comment:
        out.append("\ninformation_schema: ", style="dim").append_text(host_text(t.info.comment))
    return out


def site_header(site: SiteState, state: Text, now: datetime) -> Text:
    out = Text(end="")
    out.append(site.name, style="bold").append("  ").append_text(state)
    out.append(f"   database {site.database} on {site.host}", style="")
    if site.checked_at is not None:
        out.append(f"   last full check {humanize.naturaltime(site.checked_at, when=now)}", style="dim")
    if site.checking:
        out.append(f"   checking {site.done}/{site.total}", style="bold")
    if site.error:
        out.append("\n").append_text(host_text(site.error, style=style("unknown")))
    return out
