"""Helpers for the DNS tests against the lab's real BIND servers (fixtures: tests/dns/conftest.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from cockpit.dns.model import AnswerState, SiteDns
from cockpit.dns.sweep import DnsMonitor
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory, Site

SAFETY = 60.0  # a bound on waiting for real servers; nothing asserts how fast they are


def sweep(inv: Inventory, state: StateFile | None = None) -> dict[str, SiteDns]:
    report = asyncio.run(DnsMonitor(inv, state).sweep())
    return {s.site: s for s in report.sites}


def by_server(site: SiteDns) -> dict[str, AnswerState]:
    return {a.server.name: a.state for a in site.answers}


def wait_for(cond: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + SAFETY
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting: {what}")


def a_site(inv: Inventory) -> Site:
    return next(s for s in inv.sites if s.standby)
