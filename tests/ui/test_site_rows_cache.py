"""The sites pane's caches give what computing afresh gives: verdicts kept per site version
turn stale with time, and the remembered "N minutes ago" is humanize's own words."""

from __future__ import annotations

from datetime import timedelta

import humanize
from sites_states import site
from ui_states import NOW

from cockpit.tables.model import SiteStateName
from cockpit.tables.verdict import verdict
from cockpit.tables.verdict_cache import VerdictCache
from widgets.site_rows import ago


def test_a_kept_verdict_turns_stale_with_time_and_follows_the_version() -> None:
    s = site("acme", "web1")  # every table checked 2 minutes before NOW
    verdicts = VerdictCache()
    first = verdicts.get(s, NOW, 600)
    assert first.state is SiteStateName.OK
    assert verdicts.get(s, NOW + timedelta(seconds=5), 600) is first  # kept
    later = NOW + timedelta(minutes=9)  # 11 minutes after the check: older than stale_after
    assert verdicts.get(s, later, 600) == verdict(s, later, 600)
    assert verdicts.get(s, later, 600).state is SiteStateName.UNKNOWN
    s.error, s.unreachable = "gone", True
    s.touch()
    assert verdicts.get(s, NOW, 600).state is SiteStateName.UNREACHABLE


def test_ago_says_what_humanize_says() -> None:
    for seconds in (-3.5, -0.4, 0, 0.4, 1, 59.9, 60, 89, 90, 3599, 3600, 86399, 86400, 40 * 86400, 400 * 86400):
        then = NOW - timedelta(seconds=seconds)
        assert ago(then, NOW) == humanize.naturaltime(then, when=NOW), seconds
