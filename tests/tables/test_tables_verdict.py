"""A site's state and severity, and the ``sites`` part of status --json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cockpit.severity import Severity
from cockpit.tables.model import CheckMessage, SiteState, SiteStateName, TableCheck, TableInfo, TableState, TableStatus
from cockpit.tables.to_json import site_json
from cockpit.tables.verdict import fresh_until, verdict

NOW = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def _t(name: str, status: TableStatus | None, *, stale: bool = False, age: float = 10) -> TableState:
    check = None if status is None else TableCheck(status, (CheckMessage("status", "OK"),),
                                                   NOW - timedelta(seconds=age))
    return TableState(TableInfo(name, "Aria", 10, 8192), check, stale=stale)


def _site(*tables: TableState, **kw: object) -> SiteState:
    s = SiteState("acme", "web1", "acme", tables={t.info.name: t for t in tables}, checked_at=NOW)
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def test_all_ok_is_ok() -> None:
    v = verdict(_site(_t("a", TableStatus.OK), _t("b", TableStatus.OK)), NOW)
    assert (v.state, v.severity, v.checked, v.total) == (SiteStateName.OK, Severity.OK, 2, 2)


def test_a_corrupt_table_is_critical_and_named() -> None:
    v = verdict(_site(_t("ticket", TableStatus.OK), _t("worker", TableStatus.CORRUPT)), NOW)
    assert (v.state, v.severity, v.corrupt) == (SiteStateName.CORRUPT, Severity.CRITICAL, ("worker",))


def test_a_known_corruption_survives_the_server_going_away() -> None:
    s = _site(_t("worker", TableStatus.CORRUPT, stale=True), error="no answer", unreachable=True)
    v = verdict(s, NOW)
    assert (v.state, v.severity) == (SiteStateName.UNREACHABLE, Severity.CRITICAL)


def test_unreachable_and_unchecked_sites_are_never_ok() -> None:
    assert verdict(_site(error="refused", unreachable=True), NOW).severity is Severity.UNKNOWN
    never = SiteState("acme", "web1", "acme")
    assert verdict(never, NOW).state is SiteStateName.UNKNOWN
    never.checking = True
    assert verdict(never, NOW).state is SiteStateName.CHECKING
    unchecked = verdict(_site(_t("a", TableStatus.OK), _t("b", None)), NOW)
    assert (unchecked.state, unchecked.severity, unchecked.checked) == (SiteStateName.UNKNOWN, Severity.UNKNOWN, 1)


def test_a_stale_result_is_not_fresh() -> None:
    s = _site(_t("a", TableStatus.OK, age=3600))
    assert verdict(s, NOW, stale_after=600).state is SiteStateName.UNKNOWN
    assert verdict(s, NOW, stale_after=7200).state is SiteStateName.OK
    j = site_json(s, NOW, stale_after=600)
    assert j["tables"][0]["stale"] is True


def test_warnings_only_is_ok_with_a_warning_severity() -> None:
    v = verdict(_site(_t("a", TableStatus.WARNING)), NOW)
    assert (v.state, v.severity) == (SiteStateName.OK, Severity.WARNING)


def test_site_json_shape() -> None:
    j = site_json(_site(_t("worker", TableStatus.CORRUPT)), NOW)
    assert set(j) >= {"name", "host", "database", "state", "severity", "checked_at", "tables_total",
                      "tables_checked", "tables"}
    t = j["tables"][0]
    assert (t["name"], t["engine"], t["rows"], t["status"]) == ("worker", "Aria", 10, "corrupt")
    assert t["messages"] == [{"type": "status", "text": "OK"}]
    assert t["checked_at"] == "2026-11-25T18:59:50Z"
    assert j["error_at"] is None  # no error


def test_a_failed_check_says_when_it_failed() -> None:
    """error_at (an addition to the contract): when the error was seen, not when the site last checked OK."""
    from cockpit import clock
    from cockpit.tables.site_updates import fail_site

    s = _site(_t("worker", TableStatus.OK))
    fail_site(s, "MySQL on web1: no answer within 5 s (server hung?)", unreachable=True, notify=lambda _: None)
    j = site_json(s, NOW)
    assert (j["state"], j["checked_at"]) == ("unreachable", "2026-11-25T19:00:00Z")
    assert j["error_at"] == clock.iso(s.failed_at) and s.failed_at is not None and s.failed_at > NOW


def test_a_first_check_under_way_is_checking_and_a_recheck_keeps_the_last_results() -> None:
    first = _site(_t("a", TableStatus.OK), _t("b", None), checking=True, checked_at=None)
    assert verdict(first, NOW).state is SiteStateName.CHECKING
    again = _site(_t("a", TableStatus.OK), _t("b", TableStatus.OK), checking=True)
    assert verdict(again, NOW).state is SiteStateName.OK
    corrupt_while_checking = _site(_t("a", TableStatus.CORRUPT), _t("b", None), checking=True)
    assert verdict(corrupt_while_checking, NOW).state is SiteStateName.CORRUPT


def test_fresh_until_is_when_the_oldest_fresh_result_turns_stale() -> None:
    site = _site(_t("a", TableStatus.OK, age=10), _t("b", TableStatus.OK, age=40))
    until = fresh_until(site, 60)
    assert until == NOW + timedelta(seconds=20)  # b, checked 40 s ago
    assert verdict(site, until, 60).state is SiteStateName.OK  # the verdict holds until then...
    assert verdict(site, until + timedelta(seconds=1), 60).state is SiteStateName.UNKNOWN  # ...and no longer
    # a result stale already stays so whatever the time: it sets no limit
    assert fresh_until(_site(*site.tables.values(), _t("c", TableStatus.OK, stale=True, age=500)), 60) == until
    assert fresh_until(site, None) is None


def test_site_json_without_tables_is_the_same_verdict_without_the_table_list() -> None:
    """The wallboard's problem list asks for the verdict only (tables=False); every other key is the same."""
    s = _site(_t("worker", TableStatus.CORRUPT), _t("users", TableStatus.OK, stale=True))
    whole, head = site_json(s, NOW, stale_after=600), site_json(s, NOW, stale_after=600, tables=False)
    assert "tables" not in head and len(whole["tables"]) == 2
    assert head == {k: v for k, v in whole.items() if k != "tables"}
