"""Run the disk probe on one host: one combined command, one round trip."""

from __future__ import annotations

import secrets

from cockpit.disk.command import build_script
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.memo import DiskMemo
from cockpit.disk.model import DiskReport
from cockpit.inventory.model import Host
from cockpit.transport.ssh import SshPool


async def probe_disks(pool: SshPool, host: Host, memo: DiskMemo | None = None) -> DiskReport:
    """Raises HostDown (host unusable) or ProbeError (this probe failed).

    ``memo``: the report is reused when the host printed the same as last time (cockpit.disk.memo)."""
    nonce = secrets.token_hex(8)
    # no SSH session per sweep, and in the probe shell (a /bin/sh) no second shell per probe either
    result = await pool.run(host.name, build_script(nonce), reuse=True, sh=True)
    if memo is None:
        return report_from_output(result.stdout, nonce, host)
    return memo.report(host, result.stdout, nonce, report_from_output)
