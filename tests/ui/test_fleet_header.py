"""The header's words: counts, time since the last sweep, the sweep indicator."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static
from ui_states import NOW, mixed_fleet

from cockpit import clock
from cockpit.engine.summary import summarize
from widgets.fleet_header import FleetHeader, findings_text, hosts_text, sweep_text


def test_counts_leave_out_what_is_zero_but_always_say_how_many_are_up() -> None:
    s = summarize(mixed_fleet().values())
    assert hosts_text(s).plain == "6 hosts: ✓ 4 up  ✗ 1 unreachable  ✗ 1 untrusted"
    assert findings_text(s).plain == "✗ 3 critical  ▲ 1 warning"
    quiet = summarize([mixed_fleet()["web2"]])
    assert hosts_text(quiet).plain == "1 host: ✓ 1 up"


def test_time_since_the_last_sweep_and_the_sweep_indicator() -> None:
    last = NOW - timedelta(seconds=3)
    assert sweep_text(last, False, NOW).plain == "swept 3 seconds ago (02:59:57 UTC)"
    assert sweep_text(NOW - timedelta(minutes=2), False, NOW).plain.startswith("swept 2 minutes ago")
    assert sweep_text(last, True, NOW).plain == "⟳ sweeping… last 3 seconds ago"
    assert sweep_text(None, False, NOW).plain == "not swept yet"
    assert sweep_text(None, True, NOW).plain == "⟳ sweeping…"


def test_while_sweeps_come_on_schedule_the_line_stands_still_and_counts_once_late() -> None:
    last = NOW - timedelta(seconds=3)
    assert sweep_text(last, False, NOW, 5.0).plain == "swept at 02:59:57 UTC"
    assert sweep_text(last, False, NOW + timedelta(seconds=4), 5.0).plain == "swept at 02:59:57 UTC"  # 7 s: on time
    late = sweep_text(last, False, NOW + timedelta(seconds=5), 5.0)  # 8 s after it, due every 5 (+2 slack)
    assert late.plain == "swept 8 seconds ago (02:59:57 UTC) late"
    assert sweep_text(last, True, NOW, 5.0).plain == "⟳ sweeping…"
    assert sweep_text(last, True, NOW + timedelta(seconds=17), 5.0).plain == "⟳ sweeping… last 20 seconds ago"
    assert sweep_text(None, False, NOW, 5.0).plain == "not swept yet"


async def test_a_short_scheduled_sweep_is_not_flashed_and_a_long_one_is_shown() -> None:
    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            yield FleetHeader(read_only=False, read_only_reason="")

    def line(app: HeaderApp) -> str:
        content = app.query_one("#fleet-sweep", Static).content
        return content.plain if isinstance(content, Text) else str(content)

    clock.freeze(NOW)
    try:
        async with HeaderApp().run_test() as pilot:
            header = pilot.app.query_one(FleetHeader)
            header.show_summary(summarize(mixed_fleet().values()), NOW - timedelta(seconds=5), 5.0)
            header.show_sweeping(True)
            assert line(pilot.app).endswith("swept at 02:59:55 UTC")  # just started: not flashed
            header.show_sweeping(False)
            header.show_sweeping(True)
            clock.freeze(NOW + timedelta(seconds=1))
            header._tick()
            assert line(pilot.app).endswith("⟳ sweeping…")  # running for a second: said
            header.show_summary(summarize(mixed_fleet().values()), NOW + timedelta(seconds=1), 5.0)
            header.show_sweeping(False)
            assert line(pilot.app).endswith("swept at 03:00:01 UTC")
    finally:
        clock.freeze(None)
