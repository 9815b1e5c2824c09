"""What the disk sweep tells the timeline: each host's reachability, and for a
host that answered, its mounts (read-only, missing), RAID arrays and kernel log.

Facts are diffed by :class:`cockpit.timeline.Timeline`, so this module only
says what each fact's value is now. A host that did not answer says nothing
about its disks (its last disk report is stale, not changed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from cockpit.disk.model import DiskReport, KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity
from cockpit.timeline.event import Observation
from cockpit.timeline.store import Timeline

SWEEP = "disk sweep over SSH"
_REACH_KIND = {Reach.UP: "host.back", Reach.UNREACHABLE: "host.unreachable", Reach.UNTRUSTED: "host.untrusted",
               Reach.ERROR: "host.probe-error"}


async def observe_hosts(timeline: Timeline, states: Iterable[HostState]) -> None:
    """The engine's hook after a sweep: the observations are built off the event loop too, not only
    the file I/O (1,000 hosts' facts and evidence were one 25-140 ms step of the loop per sweep,
    bench/scale_ui.py). Host states are frozen, so the thread reads what the sweep gave."""
    states = list(states)
    await asyncio.to_thread(_observe, timeline, states)


def _observe(timeline: Timeline, states: list[HostState]) -> None:
    timeline.observe_many([o for s in states for o in host_observations(s)])


def host_observations(h: HostState) -> list[Observation]:
    if h.reach is Reach.PENDING:
        return []
    out = [_reach(h)]
    if h.reach is Reach.UP and h.disk is not None:
        out += _disk(h, h.disk)
    return out


def _reach(h: HostState) -> Observation:
    why = f": {h.error}" if h.error else ""
    summary = {
        Reach.UP: f"{h.name} reachable again",
        Reach.UNREACHABLE: f"{h.name} unreachable{why}",
        Reach.UNTRUSTED: f"{h.name} host key not trusted{why}",
        Reach.ERROR: f"{h.name} disk probe failed{why}",
    }[h.reach]
    evidence: dict[str, object] = {"probe": f"SSH to {h.address} ({SWEEP})"}
    if h.error:
        evidence["error"] = h.error
    if h.fingerprint and h.reach in (Reach.UP, Reach.UNTRUSTED):
        evidence["host_key"] = h.fingerprint
    sev = Severity.OK if h.reach is Reach.UP else Severity.UNKNOWN if h.reach is Reach.ERROR else Severity.CRITICAL
    return Observation(fact=f"host/{h.name}/reach", value=h.reach.value, normal=Reach.UP.value,
                       kind=_REACH_KIND[h.reach], subject=h.name, summary=summary, severity=sev,
                       evidence=evidence, at=h.checked_at)


def _disk(h: HostState, d: DiskReport) -> list[Observation]:
    out = [_mount(h, m) for m in d.mounts]
    out += [_raid(h, r) for r in d.raid]
    if d.kernel.readable:
        out.append(_kernel(h, d.kernel))
    return out


def _mount(h: HostState, m: MountStatus) -> Observation:
    if m.missing:
        value, kind, summary = "missing", "mount.missing", f"{h.name}: {m.mountpoint} is not mounted"
    elif m.read_only and not m.expected_read_only:
        value, kind, summary = "read-only", "mount.read-only", f"{h.name}: {m.mountpoint} is read-only"
    else:
        value, kind, summary = "ok", "mount.ok", f"{h.name}: {m.mountpoint} mounted {'ro' if m.read_only else 'rw'}"
    row = "(not mounted)" if m.missing else f"{m.device} {m.mountpoint} {m.fstype} {'ro' if m.read_only else 'rw'}"
    evidence = {"probe": f"/proc/mounts on {h.address} ({SWEEP})", "mount": row,
                "expected": "read-only" if m.expected_read_only else "read-write",
                "expected_by": list(m.expected_by) or ["filesystem type"], "reasons": list(m.reasons)}
    return Observation(fact=f"host/{h.name}/mount/{m.mountpoint}", value=value, normal="ok", kind=kind,
                       subject=h.name, summary=summary,
                       severity=Severity.CRITICAL if value != "ok" else Severity.OK, evidence=evidence,
                       at=h.disk_at or h.checked_at)


def _raid(h: HostState, r: RaidStatus) -> Observation:
    value = "clean" if r.severity is Severity.OK else r.state
    members = f"{r.members_up}/{r.members_total} members up" if r.members_total is not None else "members unknown"
    evidence = {"probe": f"/proc/mdstat on {h.address} ({SWEEP})",
                "array": f"{r.device} {r.level or '?'} {r.state}, {members}",
                "failed": list(r.failed_members), "reasons": list(r.reasons)}
    detail = "; ".join(r.reasons) or r.state
    summary = f"{h.name}: RAID {r.device} {'clean again' if value == 'clean' else detail}"
    return Observation(fact=f"host/{h.name}/raid/{r.device}", value=value, normal="clean", kind=f"raid.{value}",
                       subject=h.name, summary=summary, severity=r.severity, evidence=evidence,
                       at=h.disk_at or h.checked_at)


def _kernel(h: HostState, k: KernelLog) -> Observation:
    if k.count == 0:
        value, kind, summary = "clean", "kernel.clean", f"{h.name}: no I/O errors in the kernel log any more"
    else:
        value = "read-only-remount" if k.remounted_read_only else "io-errors"
        kind = "kernel.read-only-remount" if k.remounted_read_only else "kernel.io-errors"
        what = "a filesystem was made read-only" if k.remounted_read_only else "I/O errors"
        summary = f"{h.name}: kernel log: {what} ({k.count} line{'s' if k.count != 1 else ''})"
    evidence: dict[str, object] = {"probe": f"{k.source or 'kernel log'} on {h.address} ({SWEEP})",
                                   "count": k.count}
    if k.latest:
        evidence["line"] = k.latest
    return Observation(fact=f"host/{h.name}/kernel", value=value, normal="clean", kind=kind, subject=h.name,
                       summary=summary, severity=k.severity, evidence=evidence, at=h.disk_at or h.checked_at)
