"""The DNS pane: rows worst first, per-server cells, done-by, the summary,
the site detail screen, escaping, and no rendering while hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from dns_states import failover_report
from textual.pilot import Pilot
from ui_states import NOW

from cockpit.engine.engine import Engine
from screens.app import CockpitApp
from screens.dns_detail import DnsDetailScreen
from screens.dns_view import DnsSwept
from widgets.dns_pane import DnsPane
from widgets.dns_rows import dns_rows, summary_text
from widgets.dns_site_report import site_lines

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def test_rows_worst_first_with_one_symbol_per_server() -> None:
    rows = dns_rows(failover_report(), NOW)
    order = [r.key for r in sorted(rows, key=lambda r: r.order)]
    assert order[:2] == ["hooli", "initech"] and order[-1] == "globex"  # NXDOMAIN everywhere, then failures
    cells = {r.key: [c.plain for c in r.cells] for r in rows}
    assert cells["initech"][2] == "✓?✗" and cells["initech"][3] == "✗✓"
    assert cells["initech"][6] == "ns2: timeout"
    assert cells["acme"][2] == "✓✓✓" and cells["acme"][3] == "✗✓"
    assert cells["acme"][5] == "in 4 min · 03:04:20"  # the change + 300 s (later than res1's 212 s)
    assert cells["globex"][4] == "100%"
    assert cells["hooli"][6] == "ns1: NXDOMAIN"


def test_green_only_when_everyone_agrees() -> None:
    rows = {r.key: r for r in dns_rows(failover_report(), NOW)}

    def styles(key: str) -> set[str]:
        cell = rows[key].cells[0]
        return {str(cell.style), *(str(span.style) for span in cell.spans)}

    assert any("green" in s for s in styles("globex"))
    assert not any("green" in s for s in styles("acme"))


def test_summary_line_counts_and_lagging() -> None:
    text = summary_text(failover_report(), NOW).plain
    assert "1 propagated · 3 partial · 1 failing" in text and "lagging: ns3" in text


def test_hostile_text_is_escaped_everywhere() -> None:
    report = failover_report()
    rows = {r.key: r for r in dns_rows(report, NOW)}
    evil = rows["[bold]evil[/]"]
    assert evil.cells[0].plain.endswith("[bold]evil[/]") and "\x1b" not in evil.cells[6].plain
    site = next(s for s in report.sites if s.site == "[bold]evil[/]")
    assert all("\x1b" not in line.plain for line in site_lines(site, report, NOW))


@pytest.fixture
def make_app(make_inventory, closed_port, frozen_clock) -> Callable[[], CockpitApp]:
    def make() -> CockpitApp:
        return CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)

    return make


async def _show(pilot: Pilot[int]) -> DnsPane:
    await pilot.pause()
    pilot.app.post_message(DnsSwept(failover_report()))
    await pilot.pause()
    assert isinstance(pilot.app, CockpitApp)
    return pilot.app.dashboard.query_one(DnsPane)


async def test_without_a_dns_section_the_pane_says_not_monitored(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        pane = app.dashboard.query_one(DnsPane)
        assert pane.report is not None and "not monitored" in pane.report.problems[0]
        assert pane.headline().plain == "– n/a"


async def test_enter_opens_the_site_detail_captured_at_open(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await _show(pilot)
        pane.table.focus()
        await pilot.pause()
        assert pane.selected_site() == "hooli"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DnsDetailScreen) and app.screen.site == "hooli"
        app.post_message(DnsSwept(failover_report()))  # a new sweep updates it in place
        await pilot.pause()
        assert isinstance(app.screen, DnsDetailScreen) and app.screen.site == "hooli"


async def test_hidden_pane_does_not_render_until_shown(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _show(pilot)
        assert not pane.shown and pane.table.row_count == 0
        await pilot.press("4")
        await pilot.pause()
        assert pane.shown and pane.table.row_count == 5


def _dns_then(keys: list[str]) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        await _show(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_dns_pane(snap_compare, make_app, size) -> None:
    keys = ["4"] if size == (80, 24) else []
    assert snap_compare(make_app(), terminal_size=size, run_before=_dns_then(keys))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_dns_site_detail(snap_compare, make_app, size) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        pane = await _show(pilot)
        await pilot.press("4")
        pane.table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_many_servers_of_a_kind_show_a_compact_count() -> None:
    from dns_states import AT

    from cockpit.dns.model import Answer, AnswerState, DnsReport, Server, ServerKind
    from cockpit.dns.propagation import evaluate

    servers = [Server(f"r{i}", f"198.18.0.{50 + i}", ServerKind.RESOLVER) for i in range(9)]
    answers = [Answer(server=s, qtype="A", state=AnswerState.MATCH if i < 7 else AnswerState.TIMEOUT, queried_at=AT,
                      addresses=("203.0.113.1",) if i < 7 else (), ttl=60) for i, s in enumerate(servers)]
    site = evaluate(site="acme", name="acme.example.test", host="web1", expected=("203.0.113.1",), answers=answers,
                    change=None)
    (row,) = dns_rows(DnsReport("example.test", (site,), (), AT, servers=tuple(servers)), NOW)
    assert row.cells[3].plain == "7/9" and row.cells[2].plain == "—"


def test_done_by_says_when_the_newest_zone_itself_is_wrong() -> None:
    from dns_states import AT, NS, OLD

    from cockpit.dns.model import Answer, AnswerState, DnsReport, SoaStatus
    from cockpit.dns.propagation import evaluate
    from widgets.dns_rows import done_text

    ns1, ns2, ns3 = NS
    soa = (SoaStatus(ns1, 2, AT), SoaStatus(ns2, 2, AT), SoaStatus(ns3, 1, AT, lagging=True))
    answers = [Answer(server=s, qtype="A", state=AnswerState.MISMATCH, queried_at=AT, addresses=("203.0.113.99",),
                      ttl=60, rcode="NOERROR") for s in (ns1, ns2)]
    answers.append(Answer(server=ns3, qtype="A", state=AnswerState.MATCH, queried_at=AT, addresses=OLD, ttl=60,
                          rcode="NOERROR"))
    site = evaluate(site="acme", name="acme.example.test", host="web1", expected=OLD, answers=answers, change=None,
                    soa=soa)
    (row,) = dns_rows(DnsReport("example.test", (site,), soa, AT, servers=tuple(NS)), NOW)
    assert row.cells[5].plain == "wrong in zone" and "waiting" not in row.cells[5].plain
    assert done_text(site, NOW, compact=False).plain.startswith("never by itself: the newest zone (on ns1, ns2)")


def test_site_detail_has_every_answer_its_ttl_rcode_and_time_and_the_soa_serials() -> None:
    report = failover_report()
    site = next(s for s in report.sites if s.site == "initech")
    lines = [line.plain for line in site_lines(site, report, NOW)]
    answers = {line.split()[1]: line for line in lines if line[:1] in "✓✗?" and len(line.split()) > 2}
    assert set(answers) == {"ns1", "ns2", "ns3", "res1", "res2"}  # every server
    at = f"at {(NOW - timedelta(seconds=2)).strftime('%H:%M:%S')}"  # when each was asked
    assert all(at in line for line in answers.values())
    assert "NOERROR" in answers["ns3"] and "TTL 300" in answers["ns3"] and "203.0.113.99" in answers["ns3"]
    assert "SERVFAIL" in answers["res1"] and "timeout" in answers["ns2"] and "no answer within 2 s" in answers["ns2"]
    assert "TTL 120" in answers["res2"] and "cached until" not in answers["res2"]  # it agrees: nothing to expire
    soa = lines[lines.index("\nSOA serials") + 1:]
    assert [line.split()[:2] for line in soa] == [["ns1", "2026112502"], ["ns2", "no"], ["ns3", "2026112501"]]
    assert "LAGGING" in soa[2] and "LAGGING" not in soa[0]
    assert any(line.startswith("propagated") and "authoritative 33.3%" in line and "resolvers 50%" in line
               for line in lines)
