"""`cockpit lab up --storage`: the fleet spec and the [storage] it writes (no root needed)."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest

from cockpit.lab import FleetSpec, LabError
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.storage import RsyncHost, StorageBackup
from cockpit.lab.storage_fleet import BWLIMIT_KBPS, with_storage


def test_storage_adds_a_backup_of_every_site_and_storage_on_the_site_hosts() -> None:
    spec = with_storage(FleetSpec.web(2, sites_per_host=2))
    hosts = {h.name: h for h in spec.hosts}
    assert list(hosts) == ["web1", "web2", "backup1"]
    sites = [s for h in ("web1", "web2") for svc in hosts[h].services if isinstance(svc, MariaDB) for s in svc.sites]
    backup = next(s for s in hosts["backup1"].services if isinstance(s, StorageBackup))
    assert backup.sites == tuple(sites) and len(sites) == 4
    assert backup.small_files >= 2000 and backup.bwlimit_kbps == BWLIMIT_KBPS  # thousands of mails, watchable
    assert hosts["backup1"].role == "backup" and [m.mountpoint for m in hosts["backup1"].mounts] == ["/backup"]
    for h in ("web1", "web2"):
        assert [m.mountpoint for m in hosts[h].mounts] == ["/srv", "/storage"]
        assert any(isinstance(s, RsyncHost) for s in hosts[h].services)  # the kill-rsync fault
    spec.validate()
    assert with_storage(spec) is spec  # once


def test_storage_without_sites_is_a_clear_error() -> None:
    with pytest.raises(LabError, match="needs sites"):
        with_storage(FleetSpec.web(2))
    p = subprocess.run([sys.executable, "-m", "cockpit", "lab", "up", "--storage", "--dir", "/nonexistent/x"],
                       capture_output=True, text=True, check=False)
    assert p.returncode != 0 and "needs sites (--sites N)" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def _lab_with(service: StorageBackup) -> SimpleNamespace:
    host = SimpleNamespace(name="backup1", services=[{"name": service.name}])
    return SimpleNamespace(state=SimpleNamespace(hosts={"backup1": host}))


def test_the_inventory_gets_the_bandwidth_limit_only_when_one_is_set() -> None:
    limited = StorageBackup(bwlimit_kbps=2000).fleet_inventory(_lab_with(StorageBackup()))  # type: ignore[arg-type]
    assert limited == {"storage": {"source": "backup1", "source_root": "/backup/storage", "bwlimit_kbps": 2000}}
    plain = StorageBackup().fleet_inventory(_lab_with(StorageBackup()))  # type: ignore[arg-type]
    assert plain == {"storage": {"source": "backup1", "source_root": "/backup/storage"}}
