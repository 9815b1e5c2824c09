"""The real cockpit TUI as a separate process, for the drills that kill it or
race it: ``python -m screens.launch --inventory INV`` (what the ``cockpit``
command runs) inside a private tmux server (its own socket, nothing shared
with anyone's tmux), on a 200x60 terminal. Keys go in with ``send-keys``, the
screen comes back as text with ``capture-pane``; the TUI's stdout and stderr
are the pane's pty (Textual draws there). SIGKILL goes to the cockpit's own
pid (the pane's process: the shell execs it).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAFETY = 90.0  # a bound on every wait, not a target


# The test run's COLUMNS/LINES (80x24 under pytest) would win over the pty's real size in the cockpit
_ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def tmux_missing() -> str | None:
    return None if shutil.which("tmux") else "the process drills drive the TUI in tmux, which is not installed"


class TuiProcess:
    def __init__(self, inventory: Path, size: tuple[int, int] = (200, 60)) -> None:
        # its own dir: a socket path must stay under 108 bytes (pytest's tmp_path may not)
        self._dir = Path(tempfile.mkdtemp(prefix="cockpit-tui-", dir="/tmp"))
        self.socket = self._dir / "tmux.sock"
        argv = [sys.executable, "-m", "screens.launch", "--inventory", str(inventory)]
        command = "exec " + " ".join(shlex.quote(a) for a in argv)
        self._tmux("new-session", "-d", "-s", "cockpit", "-x", str(size[0]), "-y", str(size[1]),
                   "-c", str(REPO), command)
        self.pid = int(self._tmux("display-message", "-p", "-t", "cockpit", "#{pane_pid}").strip())

    def _tmux(self, *args: str) -> str:
        p = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True,
                           check=False, timeout=30, stdin=subprocess.DEVNULL, env=_ENV)
        if p.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {p.stderr.strip()}")
        return p.stdout

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        with contextlib.suppress(OSError):  # a zombie (not reaped yet) is gone too
            if Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        return True

    def screen(self) -> str:
        """The terminal as text, as the operator reads it ("" once the cockpit is gone)."""
        try:
            return self._tmux("capture-pane", "-p", "-t", "cockpit")
        except RuntimeError:
            return ""

    def footer(self) -> str:
        """The last line drawn: Textual's footer, the keys of the focused part."""
        lines = self.screen().rstrip().splitlines()
        return lines[-1] if lines else ""

    def press(self, *keys: str) -> None:
        """One character as itself ("2", "/", "m"), or a tmux key name ("Enter", "Tab", "Escape")."""
        for key in keys:
            if len(key) == 1:  # literally: tmux reads "/" as the keypad's slash, which Textual does not bind
                self.type(key)
            else:
                self._tmux("send-keys", "-t", "cockpit", key)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "cockpit", "-l", text)

    def wait(self, cond: Callable[[], bool], what: str, limit: float = SAFETY) -> None:
        """Bounded poll (a safety net, never a timed assertion): fails with the screen as it was."""
        deadline = time.monotonic() + limit
        while not cond():
            if not self.alive():
                raise AssertionError(f"the cockpit process exited while waiting for {what}")
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}; the cockpit's screen:\n{self.screen()}")
            time.sleep(0.2)

    def wait_text(self, text: str, limit: float = SAFETY) -> None:
        self.wait(lambda: text in self.screen(), f"{text!r} on the cockpit's screen", limit)

    def sigkill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + SAFETY
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not self.alive(), f"pid {self.pid} survived SIGKILL"

    def close(self) -> None:
        """Kill what is left: the cockpit (if a drill failed before it ended) and this private tmux server."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._tmux("kill-server")
        shutil.rmtree(self._dir, ignore_errors=True)
