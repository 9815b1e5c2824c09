"""The outage runbook shown on the help screen: the order to work in, and what
cockpit does for each step today."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    what: str
    why: str
    status: str  # what cockpit offers for it now


RUNBOOK: tuple[Step, ...] = (
    Step("Find the broken hosts",
         "Disks pane: red rows at the top are hosts gone (unreachable/untrusted) or mounts read-only, "
         "RAID degraded, kernel I/O errors. Enter shows a host's details.",
         "available now"),
    Step("Stop cron on the broken host",
         "So a corrupt environment eats no more mail and writes no more garbage.",
         "key c (stop-cron) on the host's row; C (resume-cron) restores exactly what ran"),
    Step("Move the databases to the standby",
         "Sound tables live from the broken host, corrupt ones from the backup: the least data lost.",
         "key D (move-database) on the site; R / X restore one table / every corrupt one"),
    Step("Fail the sites over",
         "A DNS update pointing each site at the standby's address.",
         "key f (failover-site) on a site, F (failover-host) for every site of a host"),
    Step("Import /storage",
         "Attachments and mail from the backup to the standby, verified at the end.",
         "key i (import-start) on the site; the Transfers pane (3) follows each import to VERIFIED"),
    Step("Watch DNS propagate",
         "Until every nameserver and resolver gives the new address and old answers have expired.",
         "DNS pane (4): every nameserver and resolver per site, the lagging one flagged"),
)
