"""Everything cockpit knows about one host, as text blocks that fit 80 columns.

Every string that came from the host is escaped (:func:`host_text`).
"""

from __future__ import annotations

from datetime import datetime

import humanize
from rich.text import Text
from textual.widgets import Static

from cockpit.disk.model import DiskReport, KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity
from widgets import palette
from widgets.host_text import host_text
from widgets.severity_style import REACH, SEVERITY, severity_text

LABEL_WIDTH = 11


def when_text(t: datetime | None, now: datetime) -> Text:
    if t is None:
        return Text("never", style="dim", end="")
    return Text(f"{humanize.naturaltime(t, when=now)} ({t.strftime('%Y-%m-%d %H:%M:%S %Z')})", end="")


def _field(label: str, value: Text) -> Text:
    line = Text(f"{label:<{LABEL_WIDTH}}", style="bold", end="")
    return line.append_text(value)


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline", end="")


def _indented(value: Text, depth: int = 9) -> Text:
    return Text(" " * depth, end="").append_text(value)


def identity_block(state: HostState, now: datetime) -> list[Text]:
    reach = REACH[state.reach].text()
    if state.reach is not Reach.PENDING and state.error:
        reach.append("  ")
        reach.append_text(host_text(state.error, style=palette.style("bad")))
    lines = [
        Text.assemble((state.name, "bold"), f"  {state.address} · {state.role}", end=""),
        _field("state", reach),
        _field("severity", severity_text(state.severity)),
        _field("host key", host_text(state.fingerprint, missing="unknown (never connected)")),
        _field("checked", when_text(state.checked_at, now)),
    ]
    if state.disk is not None and state.reach is not Reach.UP:
        stale = when_text(state.disk_at, now).append("  STALE: the host is not up now", style=palette.style("warning"))
        lines.append(_field("disk data", stale))
    return lines


def mount_block(m: MountStatus) -> list[Text]:
    head = severity_text(m.severity).append("  ").append_text(host_text(m.mountpoint, style="bold"))
    if m.missing:
        head.append("  (expected but not mounted)", style="bold")
    wrong = m.read_only != m.expected_read_only
    mode = Text("read-only" if m.read_only else "read-write", style=palette.style("critical") if wrong else "", end="")
    mode.append(f" (expected {'read-only' if m.expected_read_only else 'read-write'})")
    device = host_text(m.device).append(" · ").append_text(host_text(m.fstype)).append(" · ").append_text(mode)
    used = "—" if m.used_percent is None else f"{m.used_percent:.0f}% used"
    inodes = "—" if m.inodes_used_percent is None else f"{m.inodes_used_percent:.0f}% used"
    lines = [head, _indented(device), _indented(Text(f"space {used} · inodes {inodes}", end=""))]
    lines += [_indented(Text("• ", end="").append_text(host_text(r))) for r in m.reasons]
    return lines


def raid_block(a: RaidStatus) -> list[Text]:
    head = severity_text(a.severity).append("  ").append_text(host_text(a.device, style="bold"))
    head.append(" ").append_text(host_text(a.level, missing="")).append(" ").append_text(host_text(a.state))
    lines = [head]
    if a.members_total is not None and a.members_up is not None:
        lines.append(_indented(Text(f"{a.members_up} of {a.members_total} members up", end="")))
    if a.failed_members:
        lines.append(_indented(Text("failed: ", end="").append_text(host_text(", ".join(a.failed_members)))))
    if a.spare_members:
        lines.append(_indented(Text("spares: ", end="").append_text(host_text(", ".join(a.spare_members)))))
    if a.progress_percent is not None:
        lines.append(_indented(Text(f"progress {a.progress_percent:.1f}%", end="")))
    lines += [_indented(Text("• ", end="").append_text(host_text(r))) for r in a.reasons]
    return lines


def kernel_block(k: KernelLog) -> list[Text]:
    if not k.readable:
        line = SEVERITY[Severity.UNKNOWN].short("kernel log not readable")
        if k.error:
            line.append(": ").append_text(host_text(k.error))
        return [line]
    source = f" ({k.source})" if k.source else ""
    if k.count == 0:
        return [SEVERITY[k.severity].short(f"no I/O error lines{source}")]
    lines = [SEVERITY[k.severity].short(f"{k.count} I/O error line{'s' if k.count != 1 else ''}{source}")]
    if k.remounted_read_only:
        lines.append(_indented(Text("a filesystem was made read-only", style="bold", end=""), 2))
    if k.latest:
        lines += [_indented(Text("latest:", style="bold", end=""), 2), _indented(host_text(k.latest), 4)]
    return lines


def disk_blocks(report: DiskReport) -> list[Text]:
    lines = [_heading(f"Mounts ({len(report.mounts)})")]
    for m in report.mounts:
        lines += mount_block(m)
    lines.append(_heading(f"RAID ({len(report.raid)})" if report.raid else "RAID"))
    lines += [line for a in report.raid for line in raid_block(a)] or [Text("no md arrays", style="dim", end="")]
    lines += [_heading("Kernel log"), *kernel_block(report.kernel)]
    if report.errors:
        lines.append(_heading("Probe problems"))
        lines += [severity_text(Severity.UNKNOWN).append("  ").append_text(host_text(e)) for e in report.errors]
    return lines


class HostReport(Static):
    def show(self, state: HostState, now: datetime) -> None:
        lines = identity_block(state, now)
        if state.disk is not None:
            lines += disk_blocks(state.disk)
        else:
            lines.append(Text("\nno disk report yet", style="dim", end=""))
        self.update(Text("\n", end="").join(lines))
