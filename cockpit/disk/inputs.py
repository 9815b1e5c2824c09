"""From the probe's raw output to parsed facts, keeping track of what could not be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cockpit.disk.command import STDOUT_LIMIT
from cockpit.disk.df import parse_df, parse_df_output
from cockpit.disk.kernel import parse_kernel_log
from cockpit.disk.mdstat import parse_mdstat
from cockpit.disk.model import DfEntry, FstabEntry, KernelLog, MountEntry, RaidArray
from cockpit.disk.mounts import parse_fstab, parse_proc_mounts
from cockpit.disk.parsed import Parsed
from cockpit.disk.sections import Section, split_output
from cockpit.disk.text import text_lines
from cockpit.untrusted import printable
from cockpit.wording import count

T = TypeVar("T")
_TIMED_OUT = (124, 137)  # timeout(1): TERM worked / KILL was needed
_SIGPIPE = 141  # the section was cut by head -c


@dataclass(frozen=True)
class DiskInputs:
    """Everything parsed from one probe. ``None`` means "could not be read at all"."""

    mounts: tuple[MountEntry, ...] | None
    mounts_complete: bool  # False: /proc/mounts was cut off, so "not mounted" cannot be told
    fstab: tuple[FstabEntry, ...]
    df: tuple[DfEntry, ...] | None
    dfi: tuple[DfEntry, ...] | None
    df_note: str | None  # why some or all space figures are missing
    dfi_note: str | None
    raid: tuple[RaidArray, ...] | None  # () = no RAID; None = /proc/mdstat exists but was unreadable
    kernel: KernelLog
    problems: tuple[str, ...]  # printable, for DiskReport.errors


def parse_output(output: bytes, nonce: str) -> DiskInputs:
    split = split_output(output, nonce)
    return read_sections(split.sections, split.problems)


def read_sections(sections: dict[str, Section], problems: tuple[str, ...] = ()) -> DiskInputs:
    notes = list(problems)

    mounts_sec = _use(sections.get("mounts"), "/proc/mounts")
    mounts = _parsed(parse_proc_mounts, mounts_sec, "/proc/mounts", notes)

    fstab_sec = _use(sections.get("fstab"), "/etc/fstab")
    if fstab_sec.error and not _no_such_file(sections.get("fstab")):
        notes.append(fstab_sec.error)
    fstab = _parsed(parse_fstab, fstab_sec, "/etc/fstab", notes) or ()

    df: tuple[DfEntry, ...] | None
    dfi: tuple[DfEntry, ...] | None
    both = _use(sections.get("dfo"), "df")
    if "dfo" in sections and both.data is not None and not {"df", "df_local"} & sections.keys():
        # one df run gave blocks and inodes (all of them, or as much as the section holds)
        blocks, inodes = parse_df_output(both.data)
        _note_problems(blocks, "df", notes)
        if both.error:
            notes.append(both.error)
        df, dfi, df_note, dfi_note = blocks.items, inodes.items, both.error, both.error
    else:  # another df, or this one failed: df -P and df -Pi ran (or df -l after a timeout)
        df, df_note = _df(sections, "df", "df_local", "df -P", notes)
        dfi, dfi_note = _df(sections, "dfi", "dfi_local", "df -Pi", notes)

    md_sec = _use(sections.get("mdstat"), "/proc/mdstat")
    raid = _parsed(parse_mdstat, md_sec, "/proc/mdstat", notes)
    if md_sec.error:
        notes.append(md_sec.error)

    if mounts_sec.error:
        notes.append(mounts_sec.error)
    return DiskInputs(
        mounts=mounts,
        mounts_complete=mounts_sec.complete,
        fstab=fstab,
        df=df,
        dfi=dfi,
        df_note=df_note,
        dfi_note=dfi_note,
        raid=raid,
        kernel=parse_kernel_log(sections.get("dmesg"), sections.get("journal")),
        problems=tuple(notes),
    )


@dataclass(frozen=True)
class _Usable:
    data: bytes | None  # None: nothing usable
    complete: bool
    error: str | None = None
    timed_out: bool = False


def _use(sec: Section | None, what: str) -> _Usable:
    if sec is None:
        return _Usable(None, False, f"{what}: not in the probe output")
    if sec.absent:
        return _Usable(b"", True)
    if len(sec.stdout) > STDOUT_LIMIT or (sec.exit_status == _SIGPIPE and len(sec.stdout) == STDOUT_LIMIT):
        # The command bounds every section; more than that is not our script talking.
        return _Usable(sec.stdout[:STDOUT_LIMIT], False, f"{what}: output larger than {STDOUT_LIMIT:,} bytes, cut")
    if sec.exit_status == 0:
        return _Usable(sec.stdout, True)
    partial = sec.stdout if sec.stdout.strip() else None
    if sec.exit_status is None:
        return _Usable(partial, False, f"{what}: output cut off")
    if sec.exit_status == 127:
        return _Usable(None, False, f"{what}: command not found")
    if sec.exit_status in _TIMED_OUT:
        return _Usable(partial, False, f"{what}: timed out", timed_out=True)
    said = next((line.strip() for line in text_lines(sec.stderr) if line.strip()), "")
    detail = f": {said}" if said else ""
    return _Usable(partial, False, printable(f"{what}: exit status {sec.exit_status}{detail}", 300))


def _parsed(parse: Callable[[bytes], Parsed[T]], use: _Usable, what: str, notes: list[str]) -> tuple[T, ...] | None:
    if use.data is None:
        return None
    result = parse(use.data)
    _note_problems(result, what, notes)
    return result.items


def _note_problems(result: Parsed[T], what: str, notes: list[str]) -> None:
    notes.extend(f"{what}: {p}" for p in result.problems[:20])
    if len(result.problems) > 20:
        notes.append(f"{what}: {count(len(result.problems) - 20, 'more unparseable line')}")


def _df(sections: dict[str, Section], name: str, local: str, what: str,
        notes: list[str]) -> tuple[tuple[DfEntry, ...] | None, str | None]:
    full = _use(sections.get(name), what)
    if full.data is not None and full.complete:
        return _parsed(parse_df, full, what, notes), None
    if local in sections:  # the full df timed out; local filesystems were measured again
        loc = _use(sections[local], f"{what}l")
        note = f"{what.split(maxsplit=1)[0]} timed out (a hung network mount?); only local filesystems measured"
        notes.append(note)
        if loc.error:
            notes.append(loc.error)
        return _parsed(parse_df, loc, what, notes), note
    if full.error:
        notes.append(full.error)
    return _parsed(parse_df, full, what, notes), full.error


def _no_such_file(sec: Section | None) -> bool:
    return sec is not None and b"No such file" in sec.stderr
