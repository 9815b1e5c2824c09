"""Table checker state -> the sites pane's rows and summary (pure functions, no Textual).

One row per site, worst first: corrupt sites, then those that cannot be
vouched for (unreachable, unknown, checking), then warnings, then OK. A site
is never shown as OK unless every table has a fresh OK result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import humanize
from rich.text import Text

from cockpit.severity import Severity
from cockpit.tables.model import SiteState, SiteStateName
from cockpit.tables.verdict import Verdict, verdict
from widgets.host_text import host_text
from widgets.keyed_table import TableRow
from widgets.palette import Role, style

COLUMNS: tuple[tuple[str, str], ...] = (
    ("site", "Site"),
    ("state", "State"),
    ("host", "Host"),
    ("tables", "Tables"),
    ("corrupt", "Bad"),
    ("which", "Corrupt tables"),
    ("checked", "Checked"),
)

STATE_LOOK: dict[SiteStateName, tuple[str, str, Role]] = {
    SiteStateName.CORRUPT: ("✗", "CORRUPT", "critical"),
    SiteStateName.UNREACHABLE: ("✗", "UNREACHABLE", "bad"),
    SiteStateName.UNKNOWN: ("?", "UNKNOWN", "unknown"),
    SiteStateName.CHECKING: ("…", "CHECKING", "muted"),
    SiteStateName.OK: ("✓", "OK", "ok"),
}
_STATE_ORDER = {SiteStateName.CORRUPT: 0, SiteStateName.UNREACHABLE: 1, SiteStateName.UNKNOWN: 2,
                SiteStateName.CHECKING: 3, SiteStateName.OK: 4}
WHICH_LIMIT = 32  # the site detail has every name and the whole error


def state_text(v: Verdict) -> Text:
    symbol, label, role = STATE_LOOK[v.state]
    if v.state is SiteStateName.OK and v.severity is Severity.WARNING:
        symbol, label, role = "▲", "WARN", "warning"
    return Text(f"{symbol} {label}", style=style(role), end="")


def checked_text(site: SiteState, now: datetime, stale: bool) -> Text:
    if site.checking:
        return Text(f"checking {site.done}/{site.total}", style=style("muted"), end="")
    if site.checked_at is None:
        return Text("never", style=style("unknown"), end="")
    text = humanize.naturaltime(site.checked_at, when=now)
    if stale or site.error:
        return Text(f"{text} (stale)", style=style("warning"), end="")
    return Text(text, end="")


def site_row(site: SiteState, now: datetime, stale_after: float | None = None) -> TableRow:
    v = verdict(site, now, stale_after)
    stale = any(t.stale for t in site.tables.values()) or v.state is SiteStateName.UNREACHABLE
    bad = Text(str(len(v.corrupt)), style=style("critical") if v.corrupt else style("muted"), end="")
    # the names of the corrupt tables; else why the site could not be checked (not for
    # "unreachable": the state says it, the site detail has the whole error)
    why = None if site.unreachable else site.error
    which = host_text(", ".join(v.corrupt), style=style("bad"), limit=WHICH_LIMIT) if v.corrupt else \
        host_text(why, style=style("muted"), limit=WHICH_LIMIT, missing="")
    order = (-v.severity.rank, _STATE_ORDER[v.state], site.name)
    cells = (Text(site.name, style="bold", end=""), state_text(v), host_text(site.host),
             Text(f"{v.checked}/{v.total}", end=""), bad, which, checked_text(site, now, stale))
    return TableRow(site.name, site.name, order, cells)


def matches(site: SiteState, needle: str) -> bool:
    """The ``/`` filter: site, host, database or a table name contains ``needle`` (any case)."""
    if not needle:
        return True
    n = needle.lower()
    return n in site.name.lower() or n in site.host.lower() or n in site.database.lower() or \
        any(n in t.lower() for t in site.tables)


def summary_text(sites: Iterable[SiteState], now: datetime, progress: tuple[int, int],
                 stale_after: float | None = None) -> Text:
    counts = dict.fromkeys(SiteStateName, 0)
    for s in sites:
        counts[verdict(s, now, stale_after).state] += 1
    clean = counts[SiteStateName.OK]
    unknown = counts[SiteStateName.UNKNOWN] + counts[SiteStateName.UNREACHABLE]
    out = Text(end="")
    out.append(f"✓ {clean} clean", style=style("ok"))
    out.append("  ")
    out.append(f"✗ {counts[SiteStateName.CORRUPT]} corrupt",
               style=style("critical") if counts[SiteStateName.CORRUPT] else style("muted"))
    out.append("  ")
    out.append(f"? {unknown} unknown", style=style("unknown") if unknown else style("muted"))
    out.append("  ")
    out.append(f"… {counts[SiteStateName.CHECKING]} checking", style=style("muted"))
    done, total = progress
    if total:
        out.append(" │ ", style="dim")
        out.append(f"CHECK {done}/{total} tables ({done * 100 // total}%)", style="bold")
    return out
