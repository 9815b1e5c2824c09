"""The demo scenario: which lab fleet, and which real faults it carries.

This is the foundation's scene: ``web1`` has had its RAID fail under it (a
degraded md array, ext4 errors in the kernel log, its data mount remounted
read-only by the kernel, and its root back read-only as after a remote
reboot), ``web3`` no longer answers SSH (sshd stopped), and ``web2`` and
``standby1`` are healthy, so the cockpit is seen not to cry wolf.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cockpit.lab import FleetSpec, HostSpec, Lab

DEFAULT_DIR = Path("/tmp/cockpit-demo")  # noqa: S108 (root-owned lab dir, created 0700 by the lab)


@dataclass(frozen=True)
class Fault:
    host: str
    kind: str
    args: tuple[str, ...] = ()

    def describe(self) -> str:
        return " ".join((self.host, self.kind, *self.args))


FAULTS: tuple[Fault, ...] = (
    Fault("web1", "degrade-raid"),
    Fault("web1", "kernel-errors"),
    Fault("web1", "fs-error", ("/srv",)),
    Fault("web1", "ro-mount", ("/",)),
    Fault("web3", "hang-ssh"),
)


def fleet_spec() -> FleetSpec:
    return FleetSpec((
        HostSpec("web1"),
        HostSpec("web2"),
        HostSpec("web3"),
        HostSpec("standby1", role="standby"),
    ))


def demo_dir() -> Path:
    return Path(os.environ.get("COCKPIT_DEMO_DIR") or DEFAULT_DIR)


def build(lab: Lab, echo: Callable[[str], None]) -> Path:
    """Build the demo lab from scratch and break it; returns its inventory path."""
    lab.up(fleet_spec(), echo=echo)
    for fault in FAULTS:
        echo(f"fault: {lab.fault(fault.host, fault.kind, *fault.args)}")
    return lab.inventory_path
