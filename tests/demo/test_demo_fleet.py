"""The demo's fleet: the watchable demo slows its imports, the tests and the time-to-recover bench do not."""

from __future__ import annotations

from cockpit.cli.main import build_parser
from cockpit.demo import fleet
from cockpit.demo.defaults import DEFAULT_BWLIMIT
from cockpit.lab import FleetSpec
from cockpit.lab.services.storage import StorageBackup


def backup_of(spec: FleetSpec) -> StorageBackup:
    host = next(h for h in spec.hosts if h.name == fleet.BACKUP)
    return next(s for s in host.services if isinstance(s, StorageBackup))


def test_the_demo_limits_its_imports_bandwidth_and_the_drills_do_not() -> None:
    assert backup_of(fleet.fleet_spec(3)).bwlimit_kbps == 0  # scenario.build's default: the drill test, the bench
    assert backup_of(fleet.fleet_spec(3, bwlimit_kbps=400)).bwlimit_kbps == 400
    assert build_parser().parse_args(["demo"]).bwlimit == DEFAULT_BWLIMIT > 0
    assert build_parser().parse_args(["demo", "--bwlimit", "0"]).bwlimit == 0
