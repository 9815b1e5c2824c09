"""Files a service seeds into a host land in that host, even through an
absolute symlink of the host's root (Debian's /etc/mysql/my.cnf points at
/etc/alternatives/my.cnf): never on the machine itself. An earlier lab copied
seeds before pivot_root and so wrote the machine's mariadb.cnf."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest
from lab_fixture import lab_unavailable, new_lab_dir

from cockpit.lab import FleetSpec, HostSpec, Lab
from cockpit.lab.host import HostHandle
from cockpit.lab.services.base import LabContext, Service, register
from cockpit.lab.services.sshd import Sshd

pytestmark = pytest.mark.lab

LINK = "/etc/cockpit-seed-test.cnf"
TARGET = "/etc/cockpit-seed-test-target.cnf"


@register
@dataclasses.dataclass(frozen=True)
class SeedThroughSymlink(Service):
    name = "seed-through-symlink"

    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        host.seed(LINK).write_text(f"written for {host.name}\n")


def test_a_seed_through_an_absolute_symlink_stays_in_the_host() -> None:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    # On the machine: LINK -> TARGET (absolute), as Debian's alternatives are. Host roots are
    # overlays of the machine's root, so the host sees the same symlink.
    Path(TARGET).write_text("the machine's own file\n")
    os.symlink(TARGET, LINK)
    before = hashlib.sha256(Path(TARGET).read_bytes()).hexdigest()
    lab = Lab(new_lab_dir("seed-"))
    try:
        lab.up(FleetSpec((HostSpec("web1", services=(Sshd(), SeedThroughSymlink())),)), echo=lambda m: None)
        assert lab.exec("web1", ["cat", LINK]).stdout == b"written for web1\n"
        assert hashlib.sha256(Path(TARGET).read_bytes()).hexdigest() == before, "the lab wrote the machine's file"
    finally:
        lab.down(echo=lambda m: None)
        os.unlink(LINK)
        os.unlink(TARGET)
