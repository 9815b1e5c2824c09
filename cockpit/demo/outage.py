"""The outage's fault timeline: what breaks on ``web1``, in order. Every fault
is a real one from the lab (garbage in table files, kernel log lines, md
degraded, SIGSTOPped sshd, a read-only remount); ``web2`` is never touched.

1. ``raid``: the RAID writes garbage: about a third of web1's sites get real
   on-disk corruption (some only ``worker``, others several tables), kernel
   I/O errors appear, md0 degrades;
2. ``ssh-hang``: sshd on web1 stops answering (connects and commands hang);
3. ``reboot``: a "remote reboot": sshd answers again and web1's root mount
   comes back read-only. MariaDB's datadir (``/srv``) stays readable and
   writable, so sound tables can still be copied live (what the real
   engineers did) while the corrupt ones must come from the backup.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.demo.fleet import site_names
from cockpit.wording import count

HOST = "web1"
ONLY_WORKER = ("worker",)
SEVERAL = ("worker", "ticket_audit", "ticket_tag")  # Aria and MyISAM tables big enough to hold garbage pages


@dataclass(frozen=True)
class Fault:
    host: str
    kind: str
    args: tuple[str, ...] = ()
    heal: bool = False  # True: heal this fault kind instead of injecting it

    def describe(self) -> str:
        return ("heal " if self.heal else "") + " ".join((self.host, self.kind, *self.args))


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    faults: tuple[Fault, ...]


def corrupt_tables(sites: int) -> dict[str, tuple[str, ...]]:
    """site -> its tables the RAID damages: every third site of web1 (from the
    second), alternately only ``worker`` and several tables."""
    out: dict[str, tuple[str, ...]] = {}
    for i, site in enumerate(site_names(HOST, sites)):
        if i % 3 == 1:
            out[site] = ONLY_WORKER if (i // 3) % 2 == 0 else SEVERAL
    return out


def phases(sites: int) -> tuple[Phase, ...]:
    damaged = corrupt_tables(sites)
    corrupt = tuple(Fault(HOST, "corrupt-table", (f"{site}.{table}",))
                    for site, tables in damaged.items() for table in tables)
    n = sum(len(t) for t in damaged.values())
    return (
        Phase("raid", f"RAID on {HOST} writes garbage: {count(n, 'table')} corrupt on {len(damaged)} of "
                      f"{count(sites, 'site')}; "
                      "kernel I/O errors; md0 degraded",
              (*corrupt, Fault(HOST, "kernel-errors"), Fault(HOST, "degrade-raid"))),
        Phase("ssh-hang", f"SSH to {HOST} hangs (sshd stopped answering)", (Fault(HOST, "hang-ssh"),)),
        Phase("reboot", f"remote reboot of {HOST}: sshd answers again, its root mount is read-only",
              (Fault(HOST, "hang-ssh", heal=True), Fault(HOST, "ro-mount", ("/",)))),
    )
