"""The shell side of stop-cron / resume-cron: what runs now, and the commands.

Detection prints ``systemd yes|no``, ``cron running|stopped|absent`` and one
``timer NAME`` line per active systemd timer. Defaults are Debian's: without
systemd (no ``/run/systemd/system``) ``/etc/init.d/cron stop|start``; with it,
``systemctl stop|start cron.service`` and each active timer by name (so resume
starts exactly the timers that were running, not every timer).

The record of what was stopped lives on the host in /run (a tmpfs: writable
even when the root went read-only; gone after a reboot, which starts cron
anyway), and a copy in the cockpit's state file.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

from cockpit.untrusted import decode, load_json, printable

RECORD = "/run/cockpit/cron-stopped.json"
TIMER_RE = re.compile(r"^[A-Za-z0-9@_.:\\-]{1,200}\.timer$")

DETECT = """\
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  echo "systemd yes"
  if systemctl is-active --quiet cron.service; then echo "cron running"
  elif systemctl cat cron.service >/dev/null 2>&1; then echo "cron stopped"
  else echo "cron absent"; fi
  systemctl list-units --type=timer --state=active --no-legend --plain 2>/dev/null | while read -r u _; do
    echo "timer $u"; done
else
  echo "systemd no"
  if [ -x /etc/init.d/cron ]; then
    if /etc/init.d/cron status >/dev/null 2>&1; then echo "cron running"; else echo "cron stopped"; fi
  else echo "cron absent"; fi
fi
echo "record-begin"
cat {record} 2>/dev/null
echo
echo "record-end"
"""


@dataclass(frozen=True)
class Running:
    """What runs on a host now, and the stop record found there (if any)."""

    systemd: bool
    cron: str  # running | stopped | absent
    timers: tuple[str, ...]
    record: dict[str, Any] | None


def detect_command() -> str:
    return "sh -c " + shlex.quote(DETECT.format(record=shlex.quote(RECORD)))


def parse_detect(out: bytes) -> Running:
    text = decode(out)
    systemd, cron, timers = False, "absent", []
    head, _, rest = text.partition("record-begin\n")
    for line in head.splitlines():
        word, _, value = line.strip().partition(" ")
        if word == "systemd":
            systemd = value == "yes"
        elif word == "cron" and value in ("running", "stopped", "absent"):
            cron = value
        elif word == "timer" and TIMER_RE.match(value):
            timers.append(value)
    body = rest.partition("\nrecord-end")[0].strip()
    record = parse_record(body) if body else None
    return Running(systemd, cron, tuple(timers), record)


def parse_record(text: str) -> dict[str, Any] | None:
    return parse_record_obj(load_json(text))


def parse_record_obj(rec: object) -> dict[str, Any] | None:
    """A stop record (from the host or the state file: never trusted), normalized."""
    if not isinstance(rec, dict):
        return None
    timers = rec.get("timers")
    return {"cron": rec.get("cron") is True,
            "timers": [t for t in timers if isinstance(t, str) and TIMER_RE.match(t)] if isinstance(timers, list)
            else [],
            "at": printable(str(rec.get("at", "?")), 40), "by": printable(str(rec.get("by", "?")), 120)}


def stop_cron_command(systemd: bool) -> str:
    return "systemctl stop cron.service" if systemd else "/etc/init.d/cron stop"


def start_cron_command(systemd: bool) -> str:
    return "systemctl start cron.service" if systemd else "/etc/init.d/cron start"


def timers_command(verb: str, timers: list[str]) -> str:
    return f"systemctl {verb} " + " ".join(shlex.quote(t) for t in timers)


def write_record_command(record: dict[str, Any]) -> str:
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return (f"mkdir -p /run/cockpit && printf '%s\\n' {shlex.quote(line)} > {RECORD}.tmp "
            f"&& mv {RECORD}.tmp {RECORD}")


def remove_record_command() -> str:
    return f"rm -f {RECORD}"


def hook_command(command: str) -> str:
    """An inventory command, run by sh whatever the remote login shell is."""
    return "sh -c " + shlex.quote(command)
