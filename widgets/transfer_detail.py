"""One import in full (Enter on an import row): what the pane's detail line has no
room for. Every difference the verification listed (up to its limit), rsync's last
messages, both sides' counts, the run and its history (pure, no Textual)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from cockpit import clock
from cockpit.severity import Severity
from cockpit.transfers.model import ImportStatus
from cockpit.transfers.verify import Counts
from widgets import palette
from widgets.host_text import host_text
from widgets.transfer_rows import duration, files, size, sizes, state_text


def _line(out: Text, label: str, value: str | Text, style: str = "") -> None:
    out.append(f"\n{label:<14}", style="bold")
    out.append_text(value if isinstance(value, Text) else host_text(value, style=style, limit=400))


def _counts(c: Counts | None) -> str:
    if c is None:
        return "unknown"
    return (f"{c.regular:,} files, {c.dirs:,} directories, {c.links:,} symlinks "
            f"({c.entries:,} entries), {size(c.bytes)} ({c.bytes:,} bytes)")


def _when(t: datetime | None) -> str:
    return f"{t:%Y-%m-%d %H:%M:%S} UTC" if t is not None else "?"


def import_detail_text(s: ImportStatus | None, now: datetime | None = None) -> Text:
    if s is None:
        return Text("This import is no longer listed (its state directory is gone).", style="dim", end="")
    now = now or clock.now()
    out = Text(end="")
    out.append_text(host_text(f"{s.site}: {s.source} → {s.destination}", style="bold", limit=300))
    state = state_text(s)
    if s.reason:
        state.append("  ")
        state.append_text(host_text(s.reason, style=palette.style("critical") if s.severity is Severity.CRITICAL
                                    else "", limit=300))
    _line(out, "State", state)
    if s.error:
        _line(out, "", f"as last seen — {s.error}", style=palette.style("unknown"))
    if s.exit_code is not None:
        _line(out, "rsync exit", str(s.exit_code))
    if s.cause:
        _line(out, "rsync said", s.cause)
    moving = f", {size(int(s.rate_bps))}/s" if s.rate_bps else ""
    eta = f", ETA {duration(s.eta_seconds)}" if s.eta_seconds is not None else ""
    _line(out, "Done", f"{sizes(s.bytes_done, s.bytes_total)}, {files(s) or '?'} entries{moving}{eta}")
    who = f" by {s.started_by}" if s.started_by else ""
    _line(out, "Started", f"{_when(s.started_at)}{who}" + (f", resumed {s.resumes}×" if s.resumes else ""))
    if s.updated_at is not None:
        ago = duration(max(0.0, (now - s.updated_at).total_seconds()))
        _line(out, "Last change", f"{_when(s.updated_at)} ({ago} ago)")
    if s.run or s.pid:
        _line(out, "Run", f"{s.run or '?'}" + (f", rsync pid {s.pid} on {s.destination_host}" if s.pid else ""))
    v = s.verification
    if v is not None:
        _line(out, "Source", _counts(v.source))
        _line(out, "Destination", _counts(v.destination))
        if v.differences:
            out.append(f"\n\nDifferences ({v.changes_total:,} listed by rsync):", style="bold")
            for d in v.differences:
                out.append("\n  ")
                out.append_text(host_text(d, limit=400))
    if s.errors:
        out.append("\n\nrsync's last messages:", style="bold")
        for e in s.errors:
            out.append("\n  ")
            out.append_text(host_text(e, style="dim", limit=400))
    out.append(f"\n\n(as of {clock.iso(now)})", style="dim")
    return out
