"""Judge each mount: read-only against what was expected, missing, space and inodes."""

from __future__ import annotations

from cockpit.disk.inputs import DiskInputs
from cockpit.disk.model import DfEntry, FstabEntry, MountEntry, MountStatus
from cockpit.disk.mounts import normalize_mountpoint
from cockpit.disk.pseudo import READ_ONLY_FSTYPES, WRITABLE_FSTYPES, is_pseudo
from cockpit.inventory.model import Host, Thresholds
from cockpit.severity import Severity, worst

Finding = tuple[Severity, str]


def judge_mounts(inputs: DiskInputs, host: Host) -> tuple[MountStatus, ...]:
    """One status per real mount plus one per expected mount that is not mounted, worst first.

    Expected read-only-ness comes from fstab, else "read-write" when the
    inventory lists the mount, else from the filesystem type: a block-device
    filesystem (ext4, xfs, btrfs...) is expected read-write (read-only there
    means an error remount), a read-only-by-nature one (iso9660...) read-only,
    and anything else (tmpfs, nfs, fuse...) is taken as it is.
    """
    listed = {normalize_mountpoint(m) for m in host.mounts}
    fstab = {e.mountpoint: e for e in inputs.fstab if not e.swap and e.mountpoint.startswith("/")}
    if inputs.mounts is None:
        why = "cannot tell: /proc/mounts could not be read"
        return tuple(_unseen(mp, fstab.get(mp), mp in listed, Severity.UNKNOWN, why) for mp in sorted(listed))
    current = {e.mountpoint: e for e in inputs.mounts}  # the last mount on a path is the visible one
    out = [_mounted(e, fstab.get(mp), mp in listed, inputs, host.thresholds_for(mp))
           for mp, e in current.items() if mp in listed or not is_pseudo(mp, e.fstype)]
    expected = listed | {mp for mp, e in fstab.items() if not e.noauto and not is_pseudo(mp, e.fstype)}
    for mp in sorted(expected - current.keys()):
        fs = fstab.get(mp)
        if not inputs.mounts_complete:
            sev, why = Severity.UNKNOWN, "not seen, but /proc/mounts was cut off"
        elif fs is not None and fs.nofail and mp not in listed:
            sev, why = Severity.WARNING, "not mounted (fstab: nofail)"
        else:
            sev, why = Severity.CRITICAL, "not mounted"
        out.append(_unseen(mp, fs, mp in listed, sev, why))
    return tuple(sorted(out, key=_worst_first))


def _mounted(e: MountEntry, fs: FstabEntry | None, listed: bool, inputs: DiskInputs, th: Thresholds) -> MountStatus:
    expected_ro = _expected_read_only(e, fs, listed)
    findings: list[Finding] = []
    if "emergency_ro" in e.options:
        findings.append((Severity.CRITICAL, "read-only after a filesystem error (emergency_ro)"))
    elif e.read_only and not expected_ro:
        findings.append((Severity.CRITICAL, "read-only, expected read-write"))
    space = _row(inputs.df, e)
    inodes = _row(inputs.dfi, e)
    findings += _usage(space, inputs.df is None or inputs.df_note is not None, inputs.df_note, th, "")
    findings += _usage(inodes, inputs.dfi is None or inputs.dfi_note is not None, inputs.dfi_note, th, "inodes ")
    return MountStatus(
        mountpoint=e.mountpoint,
        device=e.device,
        fstype=e.fstype,
        read_only=e.read_only,
        expected_read_only=expected_ro,
        used_percent=None if space is None else space.used_percent,
        inodes_used_percent=None if inodes is None else inodes.used_percent,
        severity=worst(s for s, _ in findings),
        reasons=tuple(r for s, r in findings if s != Severity.OK),
        expected_by=_expected_by(fs, listed),
    )


def _unseen(mp: str, fs: FstabEntry | None, listed: bool, sev: Severity, why: str) -> MountStatus:
    source = " and ".join(_expected_by(fs, listed))
    return MountStatus(
        mountpoint=mp,
        device="" if fs is None else fs.device,
        fstype="" if fs is None else fs.fstype,
        read_only=False,
        expected_read_only=False if fs is None else fs.read_only,
        used_percent=None,
        inodes_used_percent=None,
        severity=sev,
        reasons=(f"{why} (expected by {source})",),
        missing=sev != Severity.UNKNOWN,
        expected_by=_expected_by(fs, listed),
    )


def _expected_read_only(e: MountEntry, fs: FstabEntry | None, listed: bool) -> bool:
    if fs is not None:
        return fs.read_only
    if listed or e.mountpoint == "/" or e.fstype in WRITABLE_FSTYPES:
        return False
    if e.fstype in READ_ONLY_FSTYPES:
        return True
    return e.read_only and "emergency_ro" not in e.options


def _expected_by(fs: FstabEntry | None, listed: bool) -> tuple[str, ...]:
    return (("fstab",) if fs is not None else ()) + (("inventory",) if listed else ())


def _row(rows: tuple[DfEntry, ...] | None, e: MountEntry) -> DfEntry | None:
    """df's line for this mount: by mount point, else (bind mounts, which df folds) by device path."""
    if rows is None:
        return None
    by_path = next((r for r in rows if r.mountpoint == e.mountpoint), None)
    if by_path is not None or not e.device.startswith("/"):
        return by_path
    return next((r for r in rows if r.filesystem == e.device), None)


def _usage(row: DfEntry | None, failed: bool, note: str | None, th: Thresholds, what: str) -> list[Finding]:
    if row is None:
        return [(Severity.UNKNOWN, f"no {what or 'space '}figures: {note or 'df failed'}")] if failed else []
    pct = row.used_percent
    if pct is None:
        return []
    if pct >= th.critical:
        return [(Severity.CRITICAL, f"{what}{pct:.1f}% used ≥ {th.critical:g}%")]
    if pct >= th.warning:
        return [(Severity.WARNING, f"{what}{pct:.1f}% used ≥ {th.warning:g}%")]
    return []


def _worst_first(m: MountStatus) -> tuple[int, bool, float, str]:
    """Worst severity first; within it, outages (missing, read-only) before full disks, fullest first."""
    outage = m.missing or (m.read_only and not m.expected_read_only)
    fullest = max((p for p in (m.used_percent, m.inodes_used_percent) if p is not None), default=-1.0)
    return (-m.severity.rank, not outage, -fullest, m.mountpoint)
