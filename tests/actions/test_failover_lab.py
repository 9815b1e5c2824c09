"""failover-site and failover-host against a real fleet: MariaDB on web1 and
the standby, BIND taking TSIG updates. Its own small lab (this module only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from action_lab import audit, cli, make_inventory
from lab_fixture import _quiet, lab_unavailable, new_lab_dir, owner_ref

from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory import load_inventory
from cockpit.lab import FleetSpec, HostSpec, Lab, LabError
from cockpit.lab.dns_fleet import with_dns
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def flab() -> Iterator[Lab]:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    spec = with_dns(FleetSpec((
        HostSpec("web1", services=(Sshd(), MariaDB(sites=("acme", "globex", "initech")))),
        HostSpec("standby1", role="standby", services=(Sshd(), MariaDB(standby_for=("acme", "globex")))),
    )), resolvers=0)
    the_lab = Lab(new_lab_dir("failover-"))
    try:
        the_lab.up(spec, echo=_quiet, owner=owner_ref())
    except LabError as e:
        pytest.fail(f"lab up failed: {e}", pytrace=False)
    try:
        yield the_lab
    finally:
        the_lab.down(echo=_quiet)


def primary_answers(inv_path: Path, site: str) -> tuple[str, ...]:
    import asyncio

    from cockpit.dns.update import primary_answer

    return asyncio.run(primary_answer(load_inventory(inv_path), site))


def public_ip(inv_path: Path, host: str) -> str:
    ip = load_inventory(inv_path).host(host).public_ip
    assert ip
    return ip


def test_failover_host_goes_on_past_a_site_with_a_corrupt_standby_and_a_rerun_finishes(
        flab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(flab, tmp_path)
    old = primary_answers(inv, "globex")
    flab.fault("standby1", "corrupt-table", "globex.ticket")
    try:
        p = cli(inv, "action", "failover-host", "web1", "--yes")
    finally:
        flab.heal("standby1")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "acme: done" in p.stdout and "globex: refused" in p.stdout
    assert "initech has no standby: it is left alone" in p.stdout
    assert primary_answers(inv, "acme") == (public_ip(inv, "standby1"),)
    assert primary_answers(inv, "globex") == old  # its failover was refused: DNS untouched
    state = StateFile(tmp_path / "state" / "state.json").load()
    sites = load_inventory(inv)
    assert placement.current_host(state, sites.site("acme"), sites) == "standby1"
    assert placement.current_host(state, sites.site("globex"), sites) == "web1"

    recs = audit(inv)
    parent = next(r for r in recs if r["kind"] == "action-start" and r["action"] == "failover-host")
    children = [r for r in recs if r["kind"] == "action-start" and r.get("parent") == parent["run_id"]]
    assert sorted(str(r["target"]) for r in children) == ["acme"]  # globex refused at its preconditions

    # the standby is healed: the same action again fails over what is left (globex), acme is not touched again
    p = cli(inv, "action", "failover-host", "web1", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "failover-site globex" in p.stdout and "failover-site acme" not in p.stdout
    assert primary_answers(inv, "globex") == (public_ip(inv, "standby1"),)

    # failover-site on a site already moved: nothing to change, verified again
    p = cli(inv, "action", "failover-site", "acme", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "already points at standby1: no DNS change" in p.stdout


def test_failover_site_refuses_without_a_standby(flab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(flab, tmp_path)
    p = cli(inv, "action", "failover-site", "initech", "--yes")
    assert p.returncode == 3
    assert "FAIL site initech has a standby" in p.stdout
