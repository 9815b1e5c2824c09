"""Tables and DNS state (their status --json parts) as timeline facts."""

from __future__ import annotations

from cockpit.timeline.area_facts import dns_observation, mysql_observation, site_observation
from cockpit.timeline.store import Timeline


def dns_site(pct: float | None) -> dict[str, object]:
    return {"site": "acme", "name": "acme.example.test", "host": "web2", "expected": ["203.0.113.20"],
            "propagated_percent": pct, "done_by": "2026-11-25T19:10:00Z", "severity": "warning",
            "answers": [{"server": "ns2", "addresses": ["203.0.113.10"], "rcode": "NOERROR", "matches": False},
                        {"server": "ns1", "addresses": ["203.0.113.20"], "rcode": "NOERROR", "matches": True}]}


def test_dns_pending_then_fully_propagated() -> None:
    pending = dns_observation(dns_site(66.7))
    assert pending is not None and (pending.fact, pending.value) == ("dns/acme.example.test/propagation", "pending")
    assert pending.evidence["other_answers"] == ["ns2: 203.0.113.10"]
    assert pending.evidence["old_answers_gone_by"] == "2026-11-25T19:10:00Z"
    done = dns_observation(dns_site(100.0))
    assert done is not None and (done.value, done.kind) == ("propagated", "dns.propagated")
    assert done.summary == "acme.example.test: DNS fully propagated (203.0.113.20)"
    assert dns_observation(dns_site(None)) is None  # not swept yet: no news


def test_site_unknown_states_are_no_news() -> None:
    assert site_observation({"name": "acme", "severity": "unknown", "corrupt_tables": []}) is None
    sound = site_observation({"name": "acme", "host": "web1", "severity": "ok", "corrupt_tables": [],
                              "tables_checked": 12, "checked_at": "2026-11-25T19:00:00Z"})
    assert sound is not None and sound.value == "sound" and sound.at is not None and sound.at.hour == 19


def test_after_a_sweep_a_corrupt_site_carries_its_first_corrupt_tables_check_messages(tmp_path) -> None:
    """_sites reads the verdicts without the table lists, and fetches them only when a site is corrupt."""
    from datetime import timedelta

    from cockpit import clock
    from cockpit.engine.engine import Engine
    from cockpit.inventory import load_inventory
    from cockpit.tables.model import CheckMessage, SiteState, TableCheck, TableInfo, TableState, TableStatus
    from cockpit.timeline.area_facts import _sites

    inv = tmp_path / "inv.toml"
    inv.write_text('[[hosts]]\nname = "web1"\naddress = "127.0.0.1"\n')
    engine = Engine(load_inventory(inv), read_only=True)
    now = clock.now()

    def site(name: str, status: TableStatus, text: str) -> SiteState:
        check = TableCheck(status, (CheckMessage("error", text),), now - timedelta(seconds=5))
        t = TableState(TableInfo("worker", "Aria", 10, 8192), check)
        return SiteState(name, "web1", name, tables={"worker": t}, checked_at=now)

    def tables_facts() -> list:
        return [o for o in _sites(engine) if o.fact.endswith("/tables")]

    engine.tables.sites = {"shop": site("shop", TableStatus.OK, "OK")}
    assert [(o.value, "check" in o.evidence) for o in tables_facts()] == [("sound", False)]
    engine.tables.sites["acme"] = site("acme", TableStatus.CORRUPT, "Table 'worker' is marked as crashed")
    got = {o.subject: o for o in tables_facts()}
    assert got["acme"].value == "corrupt"
    assert got["acme"].evidence["check"] == ["error: Table 'worker' is marked as crashed"]


def mysql_site(state: str, checked_at: str | None = "2026-11-25T19:00:00Z",
               error_at: str = "2026-11-25T19:05:00Z") -> dict[str, object]:
    down = state == "unreachable"
    return {"name": "acme", "host": "web1", "state": state, "severity": "unknown", "checked_at": checked_at,
            "error": "MySQL on web1 (127.0.0.1:3306 via SSH): Connection refused" if down else None,
            "error_at": error_at if down else None}


def test_a_sites_mysql_going_away_and_coming_back_are_two_events() -> None:
    """The wallboard's latest changes said nothing while a site's MySQL was down (kill-mysql)."""
    timeline = Timeline(None)
    first = [mysql_observation(mysql_site("ok"), True)]
    assert timeline.observe_many([o for o in first if o]) == []  # answering from the start: no news
    down = mysql_observation(mysql_site("unreachable"), True)
    assert down is not None
    [event] = timeline.observe_many([down])
    assert (event.kind, event.subject) == ("site.mysql-unreachable", "acme")
    assert event.summary == "acme: unreachable: MySQL on web1 (127.0.0.1:3306 via SSH): Connection refused"
    assert timeline.observe_many([down]) == []  # still down: said once
    stale = mysql_observation(mysql_site("unknown"), True)  # its last check is from before it went down
    assert stale is not None and timeline.observe_many([stale]) == []
    back = mysql_observation(mysql_site("ok", checked_at=None), True)
    assert back is None  # not checked since: no news yet
    from datetime import timedelta

    from cockpit import clock

    later = clock.iso(clock.now() + timedelta(seconds=1))  # (ISO times are to the second)
    again = mysql_observation(mysql_site("ok", checked_at=later), True)
    assert again is not None
    [event] = timeline.observe_many([again])
    assert (event.kind, event.summary) == ("site.mysql-back", "acme: MySQL answering again on web1")


def test_a_host_that_lost_ssh_speaks_for_its_sites_mysql() -> None:
    """SSH down takes MySQL-over-SSH with it: the host's own event says so, not one line per site."""
    assert mysql_observation(mysql_site("unreachable"), False) is None
    assert mysql_observation(mysql_site("checking"), True) is None


def test_an_error_that_does_not_name_the_server_is_given_it() -> None:
    site = mysql_site("unreachable") | {"error": "timed out"}
    event = mysql_observation(site, True)
    assert event is not None and event.summary == "acme: unreachable: MySQL on web1: timed out"


def test_a_sites_mysql_is_blamed_only_when_its_host_answered_ssh_after_it_failed(tmp_path) -> None:
    """In the demo, SSH to web1 hung: its sites' checks failed ("host web1 is down"), and when web1 answered
    again its four sites were each said to have lost MySQL, then to be back a second later."""
    from datetime import datetime, timedelta

    from cockpit.engine.engine import Engine
    from cockpit.engine.hoststate import HostState, Reach
    from cockpit.inventory import load_inventory
    from cockpit.tables.model import SiteState
    from cockpit.timeline.area_facts import hosts_to_confirm, ssh_answered_after
    from cockpit.timeline.disk_facts import host_observations

    inv = tmp_path / "inv.toml"
    inv.write_text('[[hosts]]\nname = "web1"\naddress = "127.0.0.1"\n')
    engine = Engine(load_inventory(inv), read_only=True)
    engine.timeline = Timeline(None)
    failed = datetime.fromisoformat("2026-11-25T19:05:00+00:00")
    site = mysql_site("unreachable", error_at="2026-11-25T19:05:00Z")

    def host(reach: Reach, swept: datetime) -> None:
        engine.hosts["web1"] = HostState("web1", "127.0.0.1", "primary", reach=reach, checked_at=swept)
        engine.timeline.observe_many(host_observations(engine.hosts["web1"]))

    host(Reach.UP, failed + timedelta(seconds=2))  # up throughout, and answered SSH after MySQL failed
    assert ssh_answered_after(engine, site)
    host(Reach.UP, failed - timedelta(seconds=2))  # its last answer came before: not known yet
    assert not ssh_answered_after(engine, site)
    engine.tables.sites = {"acme": SiteState("acme", "web1", "acme", error="refused", unreachable=True,
                                             failed_at=failed)}
    assert hosts_to_confirm(engine) == {"web1"}  # a one-shot status asks web1 once more
    host(Reach.UP, failed + timedelta(seconds=2))
    assert hosts_to_confirm(engine) == set()
    host(Reach.UNREACHABLE, failed + timedelta(seconds=4))
    assert not ssh_answered_after(engine, site)
    host(Reach.UP, failed + timedelta(seconds=9))  # back after the failure: the failure was SSH's
    assert not ssh_answered_after(engine, site)
    later = mysql_site("unreachable", error_at="2026-11-25T19:05:20Z")  # failed again once SSH answered
    host(Reach.UP, failed + timedelta(seconds=22))
    assert ssh_answered_after(engine, later)
    assert not ssh_answered_after(engine, mysql_site("unreachable") | {"error_at": None})
    assert not ssh_answered_after(engine, mysql_site("unreachable") | {"error_at": "[red]x\x00"})  # garbage: unknown
