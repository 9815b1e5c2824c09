"""Run the disk probe on one host: one combined command, one round trip."""

from __future__ import annotations

import secrets

from cockpit.disk.command import build_command
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.model import DiskReport
from cockpit.inventory.model import Host
from cockpit.transport.ssh import SshPool


async def probe_disks(pool: SshPool, host: Host) -> DiskReport:
    """Raises HostDown (host unusable) or ProbeError (this probe failed)."""
    nonce = secrets.token_hex(8)
    result = await pool.run(host.name, build_command(nonce))
    return report_from_output(result.stdout, nonce, host)
