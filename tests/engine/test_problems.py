"""The wallboard's problem list: every area's bad items, worst first; a broken area says so."""

from __future__ import annotations

import dataclasses

import pytest

from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.problems import fleet_problems, registry
from cockpit.severity import Severity
from cockpit.status import dns_part, sites_json, transfers_json


@pytest.fixture
def engine(tmp_path) -> Engine:
    inv = tmp_path / "inv.toml"
    inv.write_text('[[hosts]]\nname = "web1"\naddress = "127.0.0.1"\n')
    return Engine(load_inventory(inv), read_only=True)


def test_tables_transfers_and_dns_items_become_problems_from_their_status_json(engine, monkeypatch) -> None:
    # The areas' status --json parts, as their engines would give them (the contract the wallboard reads).
    monkeypatch.setattr(sites_json, "sites_part", lambda e, tables=True: ([
        {"name": "shop1", "host": "web1", "severity": "critical", "state": "corrupt", "corrupt_tables": ["worker"]},
        {"name": "blog", "host": "web2", "severity": "ok", "state": "ok", "corrupt_tables": []},
        {"name": "wiki", "host": "web2", "severity": "unknown", "state": "unreachable", "corrupt_tables": [],
         "error": "MySQL on web2: no answer within 10 s"},
        {"name": "new1", "host": "web1", "severity": "unknown", "state": "unknown", "checked_at": None},
        {"name": "new2", "host": "web1", "severity": "unknown", "state": "checking", "checked_at": None},
        {"name": "old", "host": "web1", "severity": "unknown", "state": "unknown",
         "checked_at": "2026-11-25T19:00:00Z"},
    ], Severity.CRITICAL))
    monkeypatch.setattr(transfers_json, "transfers_part", lambda e: ([
        {"site": "shop1", "state": "stalled", "severity": "warning", "reason": "no progress for 5 minutes"},
    ], Severity.WARNING))
    monkeypatch.setattr(dns_part, "dns_part", lambda e: ([
        {"site": "shop1", "name": "shop1.example.test", "severity": "warning", "propagated_percent": 66.7,
         "problem": None, "waiting_for": ["resolver1"]},
        {"site": "blog", "name": "blog.example.test", "severity": "warning", "propagated_percent": 50,
         "problem": None, "waiting_for": [], "wrong_in_zone": ["ns1"]},
    ], None, Severity.WARNING))
    problems = fleet_problems(engine)
    # the timeline facts the list reads "since when" from: the corrupt site's, the unreachable MySQL's
    assert [p.fact for p in problems if p.pane == "sites"] == ["site/shop1/tables", None, None, None,
                                                                 "site/wiki/mysql"]
    got = [(p.severity, p.pane, p.subject, p.what) for p in problems]
    assert got == [
        (Severity.CRITICAL, "sites", "shop1", "1 corrupt table: worker on web1"),
        # the problem list's symbol is the severity's (? UNKNOWN): the words say what the tables pane says
        # a site not checked yet says so, rather than "unknown" (at start-up, every site)
        (Severity.UNKNOWN, "sites", "new1", "not checked yet on web1"),
        (Severity.UNKNOWN, "sites", "new2", "first check running on web1"),
        (Severity.UNKNOWN, "sites", "old", "unknown on web1"),
        (Severity.UNKNOWN, "sites", "wiki", "unreachable: MySQL on web2: no answer within 10 s"),
        (Severity.WARNING, "transfers", "shop1", "import stalled: no progress for 5 minutes"),
        (Severity.WARNING, "dns", "blog.example.test", "50% propagated; wrong in the zone on ns1"),
        (Severity.WARNING, "dns", "shop1.example.test", "66.7% propagated; waiting for resolver1"),
    ]


def test_a_site_whose_host_is_down_says_so_first_not_that_mysql_is_unreachable(engine, monkeypatch) -> None:
    """At 80 columns the line was cut to "unreachable: MySQL on web1 (127.0.0.1:3306 via SSH)…", read as
    MySQL's fault while SSH to web1 hung. A host only pending (not swept yet) is not called down."""
    error = "MySQL on web1 (127.0.0.1:3306 via SSH): host web1 is down: connect timed out after 5 s"
    monkeypatch.setattr(sites_json, "sites_part", lambda e, tables=True: ([
        {"name": "acme", "host": "web1", "severity": "unknown", "state": "unreachable", "corrupt_tables": [],
         "error": error},
    ], Severity.UNKNOWN))
    monkeypatch.setattr(registry, "SOURCES", [s for s in registry.SOURCES if s[0] == "sites"])
    assert [(p.what, p.fact) for p in fleet_problems(engine)] == [(f"unreachable: {error}", "site/acme/mysql")]
    engine.hosts["web1"] = dataclasses.replace(engine.hosts["web1"], reach=Reach.UNREACHABLE, error="connect timed out")
    assert [(p.severity, p.pane, p.subject, p.what, p.fact) for p in fleet_problems(engine)] == [
        (Severity.UNKNOWN, "sites", "acme", "host web1 is down: tables not checked", None)]


def test_a_broken_area_is_one_unknown_problem_not_a_crash(engine, monkeypatch) -> None:
    def broken(e: Engine) -> list[object]:
        raise KeyError("bug")

    monkeypatch.setattr(registry, "SOURCES", [("dns", broken), *registry.SOURCES])
    problems = fleet_problems(engine)
    assert [(p.severity, p.pane, p.what) for p in problems if p.pane == "dns"] == [
        (Severity.UNKNOWN, "dns", "internal error listing problems: KeyError")]
