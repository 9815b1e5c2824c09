"""A periodic engine poll owned by the App.

Pollers belong to the App because a worker dies with the node that started it.
Each run is an async worker (exclusive in its own group, ``exit_on_error=False``:
a failure is reported by the App's one ``on_worker_state_changed`` handler and
polling goes on). The next run is scheduled with a timer only when a run has
finished, so runs never overlap, however slow a sweep is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from screens.messages import PollRunning


class Poller:
    def __init__(self, app: App[Any], name: str, interval: float, run: Callable[[], Awaitable[Message]]) -> None:
        self.app, self.name, self.interval = app, name, interval
        self._run_once = run
        self._worker: Worker[None] | None = None
        self._timer: Timer | None = None
        self._manual = False  # the run in flight was asked for by the user
        self._again = False  # the user asked for a fresh run while an automatic one was in flight
        self._follow_up_due = False  # that fresh run is scheduled and has not started yet
        self._stopped = False
        self.runs = 0  # runs that finished and posted their result (the first one: the pane has its data)

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    @property
    def scheduled(self) -> bool:
        """The next run is waiting on its timer."""
        return self._timer is not None and not self._stopped

    @property
    def busy(self) -> bool:
        """A run is in flight or one is due at once (a queued refresh)."""
        return self.running or self._again or self._follow_up_due

    def start(self) -> None:
        self._launch(manual=False)

    def refresh_now(self) -> bool:
        """Run now. While a run is in flight, no second one starts: a run the
        user asked for already counts; an automatic one gets one follow-up.
        Returns whether a run started now."""
        if self.running:
            self._again = self._again or not self._manual
            return False
        self._launch(manual=True)
        return True

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
        if self._worker is not None:
            self._worker.cancel()

    def _launch(self, manual: bool) -> None:
        if self._stopped or self.running:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._manual, self._follow_up_due = manual, False
        self._worker = self.app.run_worker(self._run(), name=f"{self.name} poll", group=f"poll:{self.name}",
                                           description=f"the {self.name} poll", exclusive=True,
                                           exit_on_error=False)

    async def _run(self) -> None:
        self.app.post_message(PollRunning(self.name, running=True))
        try:
            self.app.post_message(await self._run_once())
            self.runs += 1
        finally:
            self.app.post_message(PollRunning(self.name, running=False))
            self._schedule_next()

    def _schedule_next(self) -> None:
        if self._stopped:
            return
        again, self._again = self._again, False
        if again:  # handled by the App's loop after this worker has finished (it ends right after this call)
            self._follow_up_due = True
            self.app.call_later(self._launch, True)
        else:
            self._timer = self.app.set_timer(self.interval, self.start, name=f"{self.name} poll")
