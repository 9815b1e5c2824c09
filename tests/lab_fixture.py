"""Pytest fixtures for tests that need the lab (real sshd, real faults).

* ``lab`` (session): one lab fleet, built once in its own directory under
  /tmp and its own 198.18.K.0/24 (so it coexists with a demo lab), always
  removed at the end. Skipped with the reason when this is not root or
  network namespaces do not work. Labs left behind by a killed pytest are
  removed at the next start (their owner process is gone).
* ``healed`` (function): the same lab, with every fault healed after the test
  (use ``@pytest.mark.usefixtures("healed")`` or ``pytestmark``).
* ``lab_fleet_spec()``: the fleet the session lab is built from. Later work
  adds its hosts and services HERE, so the whole suite shares one lab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.lab import FleetSpec, HostSpec, Lab, LabError
from cockpit.lab import procs as lab_procs
from cockpit.lab import teardown as lab_teardown
from cockpit.lab.dns_fleet import dns_hosts
from cockpit.lab.services.cron import Cron
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.services.storage import RsyncHost, StorageBackup
from cockpit.lab.spec import DataMount
from cockpit.lab.state import ProcRef

LAB_PARENT = Path("/tmp")
LAB_PREFIX = "cockpit-lab-test-"


# the sites (databases) each host's MariaDB serves; standby1 keeps a copy of each
LAB_SITES = {"web1": ("acme", "globex"), "web2": ("initech",)}


def lab_fleet_spec() -> FleetSpec:
    return FleetSpec((
        HostSpec("web1", services=(Sshd(), Cron(), MariaDB(sites=LAB_SITES["web1"], odd_table_in=("acme",)))),
        HostSpec("web2", services=(Sshd(), Cron(), MariaDB(sites=LAB_SITES["web2"], listen_on_lab_address=True))),
        HostSpec("standby1", role="standby", mounts=(DataMount("/srv"), DataMount("/storage", 192)),
                 services=(Sshd(), MariaDB(standby_for=(*LAB_SITES["web1"], *LAB_SITES["web2"])), RsyncHost())),
        # the /storage copies the sites are imported from (issue 5)
        HostSpec("backup1", role="backup", mounts=(DataMount("/backup", 192),), raid=False,
                 services=(Sshd(), StorageBackup(sites=(*LAB_SITES["web1"], *LAB_SITES["web2"])))),
        # BIND: ns1 primary (TSIG updates), ns2, lagging ns3, resolver res1; the zone holds the sites (issue 4)
        *dns_hosts(ttl=20),
    ))


def lab_unavailable() -> str | None:
    """Why the lab cannot run here, or None."""
    if os.geteuid() != 0:
        return "the lab needs root (network and mount namespaces, loop devices)"
    if shutil.which("ip") is None:
        return "the lab needs iproute2 (`ip`)"
    p = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        return f"`ip netns` does not work here: {p.stderr.strip()}"
    return None


def _quiet(msg: str) -> None:
    pass


def new_lab_dir(tag: str = "") -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{LAB_PREFIX}{tag}", dir=LAB_PARENT))


def owner_ref() -> ProcRef | None:
    return lab_procs.ref(os.getpid())


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    lab_teardown.sweep_stale(LAB_PARENT, f"{LAB_PREFIX}*", _quiet)
    the_lab = Lab(new_lab_dir())
    try:
        the_lab.up(lab_fleet_spec(), echo=_quiet, owner=owner_ref())
    except LabError as e:
        pytest.fail(f"lab up failed: {e}", pytrace=False)
    try:
        yield the_lab
    finally:
        the_lab.down(echo=_quiet)


@pytest.fixture
def healed(lab: Lab) -> Iterator[Lab]:
    yield lab
    lab.heal()
