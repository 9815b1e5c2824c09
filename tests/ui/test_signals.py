"""SIGTERM (a supervisor stopping a wallboard) and SIGHUP (its terminal gone) quit the
cockpit as the quit key does: the engine is closed, and the handlers go with the app."""

from __future__ import annotations

import os
import signal

import pytest

from cockpit.engine.engine import Engine
from screens.app import CockpitApp


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
async def test_a_signal_quits_and_closes_the_engine(make_inventory, closed_port, sig) -> None:
    engine = Engine(make_inventory({"web1": closed_port}), read_only=True, read_only_reason="--wallboard")
    app = CockpitApp(engine, poll=False, wallboard=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        os.kill(os.getpid(), sig)  # without the cockpit's handler this kills the test run: a loud failure
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert app.return_code == 0
    assert engine.pool._closed  # closed as by the quit key (MySQL tunnels and their socket dir with it)
    assert signal.getsignal(sig) is signal.SIG_DFL  # the handler ended with the app
