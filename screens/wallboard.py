"""The wallboard: the dashboard laid out for a shared screen, read-only.

Big counts on top (large digits when the terminal allows), the fleet's worst
problems next (and, in large terminals, the latest events and actions), then the
four panes: all of them in large terminals, with the worst one highlighted; one
at a time in small ones, cycling through the panes that have problems (worst
first) so nobody needs to touch a key. Only quit (and the harmless view keys)
do anything; the engine behind it is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size

from cockpit import clock
from cockpit.engine.engine import Engine
from cockpit.problems import Problem, fleet_problems
from cockpit.problems.model import PANES
from cockpit.severity import Severity
from cockpit.tables.model import SiteState
from cockpit.timeline.event import Event
from screens.dashboard import DashboardScreen
from screens.history_feed import HistoryFeed
from screens.messages import DisksSwept
from widgets.problem_list import ProblemList
from widgets.recent_changes import RecentChanges
from widgets.wall_summary import WallSummary, counts

BIG_MIN = Size(120, 36)
CYCLE_SECONDS = 10.0
RECENT = 4  # latest timeline events shown in large terminals
RECOMPUTE_SECONDS = 2.0  # other panes' state arrives by their own polls: look again often


def fits_big(size: Size) -> bool:
    return size.width >= BIG_MIN.width and size.height >= BIG_MIN.height


class WallboardScreen(DashboardScreen):
    def __init__(self, keys: Mapping[str, str], engine: Engine) -> None:
        if not engine.read_only:
            raise ValueError("the wallboard runs only on a read-only engine")
        super().__init__(keys, read_only=True)
        self._engine = engine
        self.problems: list[Problem] = []
        self._interest: list[str] = list(PANES)
        self._worst: str | None = None  # the pane with the worst problem, as last seen
        self._recent: list[Event] = []
        self._problems_due = False  # a recompute is queued (sites updates come in bursts)
        self.feed = HistoryFeed(engine, self._show_recent)

    def compose(self) -> ComposeResult:
        # The dashboard's widgets, with the counts and the problem list right under its header.
        # (Re-yielded one by one, so the dashboard's ``with Container`` blocks still nest correctly.)
        for i, widget in enumerate(super().compose()):
            yield widget
            if i == 0:
                yield WallSummary(id="wall-summary")
                yield ProblemList()
                yield RecentChanges()

    def on_mount(self) -> None:
        self.add_class("-wallboard")
        self.set_class(fits_big(self.size), "-big")
        self.set_interval(CYCLE_SECONDS, self.cycle, name="wallboard cycle")
        self.recompute = self.set_interval(RECOMPUTE_SECONDS, self.refresh_problems, name="wallboard problems")
        self.refresh_problems()
        self.feed.start(self, RECOMPUTE_SECONDS)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(fits_big(event.size), "-big")

    def show_disks(self, message: DisksSwept) -> None:
        super().show_disks(message)
        self.refresh_problems()

    def show_sites(self, sites: Mapping[str, SiteState], progress: tuple[int, int], stale_after: float) -> None:
        """CHECK results come when they come, not with a poll: the problem list follows them at once (it
        lagged the tables pane by up to RECOMPUTE_SECONDS, saying "checking" beside a pane all OK).
        A burst of updates is one recompute."""
        super().show_sites(sites, progress, stale_after)
        if not self._problems_due:
            self._problems_due = True
            self.call_later(self._problems_now)

    def _problems_now(self) -> None:
        self._problems_due = False
        self.refresh_problems()

    def refresh_problems(self) -> None:
        self.problems = fleet_problems(self._engine)
        now = clock.now()
        self.query_one(WallSummary).show(counts(self.problems, self._engine.summary()))
        self.query_one(ProblemList).show(self.problems, self._since, now)
        ranked = list(dict.fromkeys(p.pane for p in self.problems if p.pane in PANES))
        self._interest = ranked or list(PANES)
        if ranked and ranked[0] != self._worst:  # a new worst pane: show it now, cycle from there
            self.focus_pane(ranked[0])
        self._worst = ranked[0] if ranked else None

    def _show_recent(self, events: list[Event]) -> None:
        """The latest events and actions (read by the feed, off the UI thread)."""
        self._recent = events[-RECENT:]
        self.query_one(RecentChanges).show(self._recent)

    def _since(self, fact: str) -> datetime | None:
        event = self._engine.timeline.last(fact)  # in memory: no file read here
        return event.at if event is not None and event.severity is not Severity.OK else None

    def cycle(self) -> None:
        """Next pane with problems (or next pane, when all is well); in the grid, the worst is highlighted."""
        if self._grid:
            self.focus_pane(self._interest[0])
            return
        ids = self._interest
        nxt = ids[(ids.index(self.active) + 1) % len(ids)] if self.active in ids else ids[0]
        self.focus_pane(nxt)

    def focus_pane(self, pane_id: str) -> None:
        if pane_id != self.active:
            self.action_show_pane(pane_id)
