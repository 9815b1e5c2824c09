"""The demo's fleet: what runs where before anything breaks.

* ``web1`` and ``web2``: sshd, cron and MariaDB serving ``sites`` sites each;
* ``standby1``: sshd and an EMPTY MariaDB (the standby mirrors nothing yet),
  ``/srv`` and ``/storage``, rsync (imports pull onto it);
* ``backup1``: sshd, last Sunday's per-site ``/storage`` copies under
  ``/backup/storage`` and the per-site MariaDB dumps (``mariadb-dump`` taken on
  each web host at ``lab up``, then copied to backup1's ``/var/backups/mysql``:
  the inventory names backup1 as every site's ``backup_host``);
* DNS: ``ns1`` primary (TSIG updates), ``ns2`` prompt secondary, ``ns3``
  lagging secondary, ``res1`` caching resolver, records with a small TTL.
"""

from __future__ import annotations

from cockpit.demo.defaults import DEFAULT_SITES, DEFAULT_TTL
from cockpit.lab import FleetSpec, HostSpec
from cockpit.lab.dns_fleet import dns_hosts
from cockpit.lab.services.cron import Cron
from cockpit.lab.services.mariadb import MariaDB, lab_site_names
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.services.storage import RsyncHost, StorageBackup
from cockpit.lab.spec import DataMount

WEB_HOSTS = ("web1", "web2")
STANDBY = "standby1"
BACKUP = "backup1"
RECHECK_S = 15  # [mysql] recheck_interval: tables corrupted mid-demo show within seconds, not 5 minutes


def site_names(host: str, sites: int) -> tuple[str, ...]:
    return lab_site_names(WEB_HOSTS.index(host) + 1, sites)


def all_sites(sites: int) -> tuple[str, ...]:
    return tuple(s for h in WEB_HOSTS for s in site_names(h, sites))


def storage_mb(sites: int) -> int:
    return max(96, 6 * 2 * sites + 48)


def fleet_spec(sites: int = DEFAULT_SITES, *, ttl: int = DEFAULT_TTL, small_files: int = 200,
               large_files: int = 1, large_mb: int = 2, bwlimit_kbps: int = 0) -> FleetSpec:
    """``bwlimit_kbps``: the inventory's [storage] bwlimit_kbps (0: unlimited), so imports can be watched."""
    if sites < 3:
        raise ValueError("the demo needs at least 3 sites per web host (a third of them get corrupt tables)")
    everything = all_sites(sites)
    web = tuple(HostSpec(h, services=(Sshd(), Cron(), MariaDB(sites=site_names(h, sites), backup_host=BACKUP,
                                                                    recheck_interval=RECHECK_S)))
                for h in WEB_HOSTS)
    mb = storage_mb(sites)
    return FleetSpec((
        *web,
        HostSpec(STANDBY, role="standby", mounts=(DataMount("/srv", max(128, 8 * sites)), DataMount("/storage", mb)),
                 services=(Sshd(), MariaDB(standby_for=everything, empty_standby=True), RsyncHost())),
        HostSpec(BACKUP, role="backup", mounts=(DataMount("/backup", mb),), raid=False,
                 services=(Sshd(), StorageBackup(sites=everything, small_files=small_files, large_files=large_files,
                                                 large_mb=large_mb, bwlimit_kbps=bwlimit_kbps))),
        *dns_hosts(ttl=ttl),
    ))
