"""SIGTERM and SIGHUP end the cockpit as the quit key does.

Textual's terminal driver leaves both at their default (die at once), so a
wallboard stopped by its supervisor, or whose terminal went away, never closed
its engine: SSH connections were dropped unannounced and the MySQL tunnels'
socket directory stayed in /tmp (found by bench/soak.py). The handlers live
while the app runs and are removed when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

from textual.app import App

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def quit_on_signals(app: App[Any]) -> None:
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
            loop.add_signal_handler(sig, app.exit)


def restore_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(sig)
