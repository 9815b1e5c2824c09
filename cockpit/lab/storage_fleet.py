"""``cockpit lab up --storage``: a lab fleet with /storage imports to try (issue 5).

``with_storage(spec)`` adds ``backup1``, holding a /storage copy of every lab
site (:class:`~cockpit.lab.services.storage.StorageBackup`: thousands of mails,
big attachments, odd names, a symlink), and gives every host that serves sites
a ``/storage`` mount and the ``kill-rsync`` fault. A site's import goes to its
host (these fleets have no standby). The inventory's ``[storage]`` names backup1
with a bandwidth limit, so a copy takes long enough to be watched, stalled,
killed, resumed and cancelled.
"""

from __future__ import annotations

import dataclasses

from cockpit.lab.errors import LabError
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.services.storage import RsyncHost, StorageBackup
from cockpit.lab.spec import DataMount, FleetSpec, HostSpec

BACKUP_HOST = "backup1"
BWLIMIT_KBPS = 2000  # about 15 s for a site's ~30 MB copy
MB_PER_SITE = 40  # a site's tree is ~30 MB (StorageBackup's defaults)


def _sites(host: HostSpec) -> tuple[str, ...]:
    return tuple(s for svc in host.services if isinstance(svc, MariaDB) for s in svc.sites)


def with_storage(spec: FleetSpec, *, bwlimit_kbps: int = BWLIMIT_KBPS) -> FleetSpec:
    """``spec`` plus the backup host and /storage on every host with sites (unless it has a backup1)."""
    if any(h.name == BACKUP_HOST for h in spec.hosts):
        return spec
    everything = tuple(s for h in spec.hosts for s in _sites(h))
    if not everything:
        raise LabError("--storage imports the sites' /storage: it needs sites (--sites N)")
    hosts = tuple(dataclasses.replace(h, mounts=(*h.mounts, DataMount("/storage", MB_PER_SITE * len(_sites(h)) + 64)),
                                      services=(*h.services, RsyncHost())) if _sites(h) else h
                  for h in spec.hosts)
    backup = HostSpec(BACKUP_HOST, role="backup", mounts=(DataMount("/backup", MB_PER_SITE * len(everything) + 64),),
                      raid=False, services=(Sshd(), StorageBackup(sites=everything, bwlimit_kbps=bwlimit_kbps)))
    return FleetSpec((*hosts, backup), subnet=spec.subnet)
