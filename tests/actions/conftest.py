"""``dblab`` (session): a small lab of its own for the database and DNS actions:
web1 serving acme, globex, initech and umbrella (umbrella's backup also
dumped by mydumper, in gzipped chunks); standby1 with copies of acme and globex;
ns1..ns3 (BIND, TSIG updates). Built once for the tests that ask for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lab_fixture import _quiet, lab_unavailable, new_lab_dir, owner_ref

from cockpit.lab import FleetSpec, HostSpec, Lab, LabError
from cockpit.lab.dns_fleet import with_dns
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.mydumper import MydumperBackup
from cockpit.lab.services.sshd import Sshd


@pytest.fixture(scope="session")
def dblab() -> Iterator[Lab]:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    spec = with_dns(FleetSpec((
        HostSpec("web1", services=(Sshd(), MariaDB(sites=("acme", "globex", "initech", "umbrella")),
                                    MydumperBackup(sites=("umbrella",), rows=150, compress=True))),
        HostSpec("standby1", role="standby", services=(Sshd(), MariaDB(standby_for=("acme", "globex")))),
    )), resolvers=0)
    the_lab = Lab(new_lab_dir("actions-"))
    try:
        the_lab.up(spec, echo=_quiet, owner=owner_ref())
    except LabError as e:
        pytest.fail(f"lab up failed: {e}", pytrace=False)
    try:
        yield the_lab
    finally:
        the_lab.down(echo=_quiet)
