"""Action records from the audit log, as timeline events.

The actions engine writes ``action-start``, ``action-step``, ``action-verify``,
``action-end``, ``action-incomplete``, ``lock-broken`` and ``lock-left`` records (see
``cockpit.actions.audit_trail``), and the transfers engine ``import-start``,
``-resume``, ``-verify`` and ``-cancel``. Each becomes one event with its who and when;
a step that merely started (``running``) is left out, its outcome is not.
Records of other kinds are not part of the timeline.
"""

from __future__ import annotations

from typing import Any

from cockpit.severity import Severity
from cockpit.timeline.event import Event, parse_time

PREFIXES = ("action-", "lock-")
# /storage imports (cockpit.transfers) audit what engineers did to them; their phases
# (failed, stalled, verified) reach the timeline as observations, not from here.
IMPORT_ACTIONS = {"import-start": "started", "import-resume": "resumed", "import-verify": "verified",
                  "import-cancel": "cancelled"}
_BAD_RESULTS = ("failed", "refused", "error", "incomplete", "cancelled")


def event_from_audit(rec: dict[str, Any]) -> Event | None:
    kind = rec.get("kind")
    at = parse_time(rec.get("at"))
    if not isinstance(kind, str) or not (kind.startswith(PREFIXES) or kind in IMPORT_ACTIONS) or at is None:
        return None
    if kind == "action-step" and _s(rec, "state") == "running":
        return None
    action, target = _s(rec, "action") or "action", _s(rec, "target") or "?"
    who = f"{_s(rec, 'user') or '?'}@{_s(rec, 'machine') or '?'}"
    summary, severity, evidence = _describe(kind, rec, action, target, who)
    if rec.get("run_id") is not None:
        evidence["run"] = str(rec.get("run_id"))
    evidence["audit"] = f"{kind} by {who} (pid {rec.get('pid', '?')})"
    return Event(at=at, kind=kind, subject=target, summary=summary, severity=severity, evidence=evidence,
                 source="action", by=f"{who} (pid {rec.get('pid', '?')})")


def _describe(kind: str, rec: dict[str, Any], action: str, target: str,
              who: str) -> tuple[str, Severity, dict[str, Any]]:
    ev: dict[str, Any] = {}
    if kind == "action-start":
        dry = " (dry run)" if rec.get("dry_run") else ""
        steps = _step_titles(rec.get("plan"))
        if steps:
            ev["plan"] = steps
        return f"{who} started {action} on {target}{dry}", Severity.OK, ev
    if kind == "action-step":
        state = _s(rec, "state") or "?"
        title = _s(rec, "title") or f"step {rec.get('step', '?')}"
        if _s(rec, "host"):
            ev["host"] = _s(rec, "host")
        if _s(rec, "output"):
            ev["output"] = _s(rec, "output")
        return f"{action} on {target}: {title}: {state}", _bad(state), ev
    if kind == "action-verify":
        ok = bool(rec.get("ok"))
        checks = rec.get("checks")
        if isinstance(checks, list):
            ev["checks"] = [_check(c) for c in checks]
        return (f"{action} on {target}: verification {'passed' if ok else 'FAILED'}",
                Severity.OK if ok else Severity.CRITICAL, ev)
    if kind == "action-end":
        result = _s(rec, "result") or "?"
        message = _s(rec, "message")
        said = message if message and message.startswith(result) else f"{result}{': ' + message if message else ''}"
        return f"{action} on {target} ended: {said}", _bad(result), ev
    if kind == "action-incomplete":
        ev["started"] = f"{_s(rec, 'started_at') or '?'} by {_s(rec, 'started_by') or '?'}"
        return f"{action} on {target} never finished (the cockpit running it is gone)", Severity.WARNING, ev
    if kind in IMPORT_ACTIONS:
        for key in ("source", "host", "run", "result", "signalled"):
            if rec.get(key) not in (None, "", []):
                ev[key] = rec[key]
        return f"{who} {IMPORT_ACTIONS[kind]} the /storage import {target}", Severity.OK, ev
    if kind == "lock-broken":
        ev["lock"] = f"{_s(rec, 'lock') or '?'} on {_s(rec, 'host') or '?'}"
        owner = rec.get("broken_owner")
        if isinstance(owner, dict):
            ev["owner"] = ", ".join(f"{k}={v}" for k, v in owner.items())
        return f"{who} broke a stale lock for {action} on {target}", Severity.WARNING, ev
    if kind == "lock-left":
        ev["lock"] = f"{_s(rec, 'lock') or '?'} on {_s(rec, 'host') or '?'}"
        return (f"{action} on {target} ended, but its lock could not be removed (the host did not answer): "
                "it shows as stale", Severity.WARNING, ev)
    return f"{kind}: {action} on {target}", Severity.OK, ev


def _bad(state: str) -> Severity:
    return Severity.CRITICAL if state in _BAD_RESULTS else Severity.OK


def _check(c: object) -> str:
    if not isinstance(c, dict):
        return str(c)
    mark = "ok" if c.get("ok") else "FAILED"
    detail = f" ({c['detail']})" if c.get("detail") else ""
    return f"{c.get('what', '?')}: {mark}{detail}"


def _step_titles(plan: object) -> list[str]:
    steps = plan.get("steps") if isinstance(plan, dict) else None
    if not isinstance(steps, list):
        return []
    return [str(s.get("title")) for s in steps if isinstance(s, dict) and s.get("title")]


def _s(rec: dict[str, Any], key: str) -> str | None:
    value = rec.get(key)
    return None if value is None else str(value)
