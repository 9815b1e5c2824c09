"""Engine import states -> the transfers pane's rows, summary and detail (pure, no Textual).

One row per import (and per importable site that has none yet). Failed,
unverified and stalled imports come first, then unknown ones, then those
that are moving, then verified ones, then sites not started.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import humanize
from rich.text import Text

from cockpit.severity import Severity
from cockpit.transfers.model import ImportStatus, TransferState
from widgets import palette
from widgets.host_text import host_text
from widgets.keyed_table import TableRow
from widgets.palette import Role

# What the on-call asks first comes first: at 80 columns a row shows how far (state, progress),
# when it ends and how fast (ETA, rate); bytes, files and the route follow (the detail line
# below the table has the selected import's full source and destination).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("site", "Site"),
    ("state", "State"),
    ("progress", "Progress"),
    ("eta", "ETA"),
    ("rate", "Rate"),
    ("bytes", "Bytes"),
    ("files", "Files"),
    ("route", "Source → destination"),
)
BAR_WIDTH = 10
STALE_AFTER = 30  # seconds: older import state is labelled with its age

_LOOK: dict[TransferState, tuple[str, str, Role]] = {
    TransferState.FAILED: ("✗", "FAILED", "critical"),
    TransferState.UNVERIFIED: ("✗", "UNVERIFIED", "critical"),
    TransferState.STALLED: ("▲", "STALLED", "warning"),
    TransferState.UNKNOWN: ("?", "UNKNOWN", "unknown"),
    TransferState.SCANNING: ("…", "scanning", "muted"),
    TransferState.RUNNING: ("▶", "running", "ok"),
    TransferState.VERIFYING: ("…", "verifying", "ok"),
    TransferState.DONE: ("•", "done", "ok"),
    TransferState.VERIFIED: ("✓", "VERIFIED", "ok"),
    TransferState.NOT_STARTED: ("·", "not started", "muted"),
}
_GROUP = {TransferState.FAILED: 0, TransferState.UNVERIFIED: 0, TransferState.STALLED: 0, TransferState.UNKNOWN: 1,
          TransferState.SCANNING: 2, TransferState.RUNNING: 2, TransferState.VERIFYING: 2, TransferState.DONE: 2,
          TransferState.VERIFIED: 3, TransferState.NOT_STARTED: 4}
_NONE = Text("", end="")


_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB")


def size(n: int | None) -> str:
    """``12.0 MiB`` (binary units, one decimal); a cheap humanize.naturalsize for hundreds of cells."""
    if n is None:
        return "?"
    if n < 1024:
        return f"{n} B"
    v = float(n)
    for unit in _UNITS:
        v /= 1024
        if v < 1024 or unit == _UNITS[-1]:
            return f"{v:.1f} {unit}"
    raise AssertionError("unreachable")


def sizes(done: int | None, total: int | None) -> str:
    """``76.0 / 125.0 MiB`` (one unit when both share it), else ``900.0 KiB / 1.2 MiB``."""
    a, b = size(done), size(total)
    unit = b.rpartition(" ")[2]
    return f"{a.removesuffix(' ' + unit)} / {b}" if a.endswith(" " + unit) and a != "?" else f"{a} / {b}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s" if s < 600 else f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def state_text(s: ImportStatus) -> Text:
    symbol, label, role = _LOOK[s.state]
    if s.error is not None and s.state is not TransferState.UNKNOWN:
        symbol, role = "?", "unknown"
    return Text(f"{symbol} {label}", style=palette.style(role), end="")


def bar(s: ImportStatus) -> Text:
    pct = s.percent
    if s.state in (TransferState.SCANNING, TransferState.NOT_STARTED) or pct is None:
        return Text("·" * BAR_WIDTH + ("  scan" if s.state is TransferState.SCANNING else ""), style="dim", end="")
    filled = int(pct / 100 * BAR_WIDTH + 1e-9)
    role: Role = "critical" if s.severity is Severity.CRITICAL else "warning" if s.state is TransferState.STALLED \
        else "ok"
    out = Text("█" * filled, style=palette.style(role), end="")
    out.append("░" * (BAR_WIDTH - filled), style="dim")
    out.append(f" {int(pct + 1e-9):3d}%")  # floored, as rsync does: 100 % only when all is there
    return out


def files(s: ImportStatus) -> str | None:
    """``1,000 / 2,021`` (``? / 2,021`` before a count of what is done); None without a total."""
    if s.files_total is None:
        return None
    done = "?" if s.files_done is None else f"{s.files_done:,}"
    return f"{done} / {s.files_total:,}"


def _files(s: ImportStatus) -> Text:
    shown = files(s)
    return _NONE if shown is None else Text(shown, end="")


def _bytes(s: ImportStatus) -> Text:
    if s.state is TransferState.NOT_STARTED or (s.bytes_done == 0 and s.bytes_total is None):
        return _NONE
    return Text(sizes(s.bytes_done, s.bytes_total), end="")


def _rate(s: ImportStatus) -> Text:
    if s.rate_bps is None or s.state not in (TransferState.RUNNING, TransferState.STALLED):
        return _NONE
    return Text(f"{size(int(s.rate_bps))}/s", end="")


def _eta(s: ImportStatus) -> Text:
    if s.state is not TransferState.RUNNING or s.eta_seconds is None:
        return _NONE
    return Text(duration(s.eta_seconds), end="")


def route(s: ImportStatus) -> Text:
    src_host = s.source.partition(":")[0]
    return host_text(f"{src_host} → {s.destination_host}", limit=60)


def transfer_rows(statuses: Iterable[ImportStatus]) -> list[TableRow]:
    rows = []
    for s in statuses:
        order = (_GROUP[s.state] if s.error is None else min(_GROUP[s.state], 1), -s.severity.rank, s.site)
        name = host_text(s.site, style="bold", limit=40)
        rows.append(TableRow(s.key, s.key, order, (name, state_text(s), bar(s), _eta(s), _rate(s), _bytes(s),
                                                   _files(s), route(s))))
    return rows


_SUMMARY = {TransferState.SCANNING: "running", TransferState.RUNNING: "running", TransferState.VERIFYING: "running",
            TransferState.DONE: "running"}
_SUMMARY_ROLE: dict[str, Role] = {"failed": "critical", "unverified": "critical", "stalled": "warning",
                                  "unknown": "unknown", "running": "ok", "verified": "ok"}


def summary_text(statuses: Sequence[ImportStatus], polled_at: datetime | None, now: datetime) -> Text:
    """``6 imports: 1 failed · 1 stalled · 2 running · 1 verified │ 76.0 / 125.0 MiB at 4.0 MiB/s, ETA 3 s``."""
    imports = [s for s in statuses if s.state is not TransferState.NOT_STARTED]
    waiting = len(statuses) - len(imports)
    if not statuses:
        return Text("No site has a storage directory in the inventory: nothing to import.", style="dim", end="")
    counts: dict[str, int] = {}
    for s in sorted(imports, key=lambda s: _GROUP[s.state]):
        word = _SUMMARY.get(s.state, s.state.value)
        counts[word] = counts.get(word, 0) + 1
    out = Text(f"{len(imports)} import{'' if len(imports) == 1 else 's'}", style="bold", end="")
    for i, (word, n) in enumerate(counts.items()):
        out.append(": " if i == 0 else " · ")
        out.append(f"{n} {word}", style=palette.style(_SUMMARY_ROLE.get(word, "muted")))
    if waiting:
        out.append(f" · {waiting} not started", style="dim")
    done = sum(s.bytes_done for s in imports)
    total = sum((s.bytes_total or s.bytes_done) for s in imports)
    rate = sum(s.rate_bps or 0 for s in imports if s.state is TransferState.RUNNING)
    etas = [s.eta_seconds for s in imports if s.state is TransferState.RUNNING and s.eta_seconds is not None]
    if imports:
        out.append(f" │ {sizes(done, total)}")
        if rate:
            out.append(f" at {size(int(rate))}/s")
        if etas:
            out.append(f", ETA {duration(max(etas))}")
    if polled_at is not None and (now - polled_at).total_seconds() >= STALE_AFTER:
        out.append(f" · read {humanize.naturaldelta(now - polled_at)} ago", style=palette.style("warning"))
    return out


def detail_text(s: ImportStatus | None) -> Text:
    """What the cursor's import needs the operator to know: why, who, rsync's last words, differences."""
    if s is None:
        return Text("", end="")
    out = Text(end="")
    out.append(f"{s.site}: ", style="bold")
    out.append_text(host_text(f"{s.source} → {s.destination}", limit=200))
    if s.error:
        out.append("\n")
        out.append_text(host_text(f"as last seen — {s.error}", style=palette.style("unknown"), limit=300))
    differences = s.verification.differences if s.verification is not None and not s.verification.verified else ()
    if s.reason and s.reason not in differences:
        out.append("\n")
        out.append_text(host_text(s.reason, style=palette.style("critical") if s.severity is Severity.CRITICAL
                                  else "", limit=300))
    if s.started_at is not None:
        who = f" by {s.started_by}" if s.started_by else ""
        resumed = f", resumed {s.resumes}×" if s.resumes else ""
        out.append("\n")
        out.append_text(host_text(f"started {s.started_at:%Y-%m-%d %H:%M:%S} UTC{who}{resumed}", style="dim",
                                  limit=300))
    if s.state is TransferState.FAILED and s.cause:
        out.append("\n")
        out.append_text(host_text("rsync said: " + s.cause, limit=300))
    if differences:
        for line in differences[:8]:
            out.append("\n  ")
            out.append_text(host_text(line, limit=300))
    return out
