"""stop-cron and resume-cron: scheduled tasks on a host, stopped and restored exactly.

stop-cron records what runs (cron, active systemd timers) BEFORE stopping it,
and a re-run keeps the first record (adding anything running now), so a
stop-cron repeated after a crash never forgets what the first one stopped.
resume-cron starts exactly what the record lists, then removes the record.
The inventory's per-host ``cron_stop`` / ``cron_start`` commands replace the
Debian defaults (see :mod:`cockpit.actions.cron_commands`).
"""

from __future__ import annotations

from typing import Any

from cockpit import clock
from cockpit.actions import cron_commands as cc
from cockpit.actions.base import Action, host_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check, Plan, StepFailed, StepSpec
from cockpit.actions.remote import output_text, run_command
from cockpit.actions.targets import Target
from cockpit.wording import count, noun

STATE_KEY = "cron_stopped"


async def _detect(ctx: ActionContext, host: str) -> cc.Running:
    res = await run_command(ctx, host, cc.detect_command(), timeout=30.0)
    return cc.parse_detect(res.stdout)


async def _reachable(ctx: ActionContext, target: Target) -> tuple[cc.Running | None, Check]:
    what = f"{target.host.name} answers over SSH"
    try:
        running = await _detect(ctx, target.host.name)
    except StepFailed as e:
        return None, Check(what, False, str(e))
    return running, Check(what, True, f"cron {running.cron}, {count(len(running.timers), 'active timer')}"
                                      + (", systemd" if running.systemd else ", no systemd"))


def _local_record(ctx: ActionContext, host: str) -> dict[str, Any] | None:
    rec = ctx.state.section(STATE_KEY).get(host)
    return cc.parse_record_obj(rec) if isinstance(rec, dict) else None


def _describe(record: dict[str, Any]) -> str:
    timers = record.get("timers") or []
    return (f"cron {'running' if record.get('cron') else 'not running'}, "
            f"timers: {', '.join(timers) if timers else 'none'}")


def _command_step(title: str, host: str, shown: str, command: str) -> StepSpec:
    async def run(ctx: ActionContext) -> str:
        return output_text(await run_command(ctx, host, command))

    return StepSpec(title, (shown,), host, run)


def _save_step(title: str, host: str, record: dict[str, Any]) -> StepSpec:
    command = cc.write_record_command(record)

    async def run(ctx: ActionContext) -> str:
        await run_command(ctx, host, command)
        ctx.state.update(lambda st: st.setdefault(STATE_KEY, {}).__setitem__(host, record))
        return f"recorded on {host} ({cc.RECORD}) and in the cockpit's state: {_describe(record)}"

    return StepSpec(title, (command,), host, run)


def _remove_step(host: str) -> StepSpec:
    command = cc.remove_record_command()

    async def run(ctx: ActionContext) -> str:
        await run_command(ctx, host, command)
        ctx.state.update(lambda st: st.get(STATE_KEY, {}).pop(host, None))
        return "record removed"

    return StepSpec("Remove the stop record (resume is complete)", (command,), host, run)


def _verifier(host: str, want_running: bool, timers: list[str]) -> Any:
    async def verify(ctx: ActionContext) -> list[Check]:
        now = await _detect(ctx, host)
        checks = []
        if want_running:
            checks.append(Check("cron runs", now.cron == "running", f"cron is {now.cron}"))
        else:
            checks.append(Check("cron does not run", now.cron != "running", f"cron is {now.cron}"))
        for t in timers:
            active = t in now.timers
            checks.append(Check(f"timer {t} is {'active' if want_running else 'stopped'}", active == want_running,
                                "active" if active else "inactive"))
        return checks

    return verify


class StopCron(Action):
    name = "stop-cron"
    binding = "stop_cron"
    title = "Stop cron"
    summary = "Stop cron and systemd timers on a host, recording what ran so resume-cron restores exactly that"

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        host = target.host
        running, reach = await _reachable(ctx, target)
        base = Plan(self.name, target, self.summary, checks=(reach,), locks=(host_lock(host.name),))
        if running is None:
            return base
        old = running.record or _local_record(ctx, host.name)
        record: dict[str, Any] = {
            "cron": bool(old and old.get("cron")) or running.cron == "running",
            "timers": sorted(set(old.get("timers", []) if old else []) | set(running.timers)),
            "at": old.get("at") if old else clock.iso(clock.now()),
            "by": old.get("by") if old else str(ctx.service.actor),
        }
        if old:
            title = (f"Keep the stop record from {old.get('at')} by {old.get('by')} ({_describe(old)}) and add "
                     "what runs now, so resume-cron restores what ran before the FIRST stop")
        else:
            title = f"Record what runs now ({_describe(record)}) so resume-cron restores exactly that"
        steps = [_save_step(title, host.name, record)]
        notes: list[str] = []
        if host.cron_stop:
            steps += [_command_step(f"Run the inventory's cron_stop command {i}", host.name, c, cc.hook_command(c))
                      for i, c in enumerate(host.cron_stop, 1)]
        else:
            if running.cron == "running":
                cmd = cc.stop_cron_command(running.systemd)
                steps.append(_command_step("Stop the cron daemon", host.name, cmd, cmd))
            if running.timers:
                cmd = cc.timers_command("stop", list(running.timers))
                steps.append(_command_step(f"Stop the {count(len(running.timers), 'active systemd timer')}", host.name,
                                           cmd, cmd))
            if running.cron != "running" and not running.timers:
                notes.append("cron is not running and no timer is active: nothing to stop (a re-run does nothing)")
        return Plan(
            self.name, target, self.summary, checks=(reach,), steps=tuple(steps), locks=base.locks,
            verification=("cron does not run on " + host.name,
                          *(f"timer {t} is stopped" for t in running.timers)),
            rollback=("Nothing is deleted. If a step fails, cron may be partly stopped: run resume-cron "
                      f"{host.name} to start exactly what the record lists, or run stop-cron again to finish.",
                      f"The record stays on {host.name} at {cc.RECORD} (and in the cockpit's state) until "
                      "resume-cron."),
            notes=tuple(notes),
            verify=_verifier(host.name, False, list(running.timers)),
        )


class ResumeCron(Action):
    name = "resume-cron"
    binding = "resume_cron"
    title = "Resume cron"
    summary = "Start again exactly what stop-cron stopped on a host (cron, systemd timers)"

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        host = target.host
        running, reach = await _reachable(ctx, target)
        base = Plan(self.name, target, self.summary, checks=(reach,), locks=(host_lock(host.name),))
        if running is None:
            return base
        record = running.record or _local_record(ctx, host.name)
        if record is None:
            return Plan(self.name, target, self.summary, checks=(reach,), locks=base.locks,
                        notes=(f"No stop record on {host.name} ({cc.RECORD}) nor in the cockpit's state: "
                               "nothing to resume (a re-run after a finished resume does nothing).",))
        timers = [t for t in record.get("timers", []) if isinstance(t, str)]
        steps: list[StepSpec] = []
        notes = [f"The record from {record.get('at')} by {record.get('by')} says: {_describe(record)}"]
        if host.cron_start:
            steps += [_command_step(f"Run the inventory's cron_start command {i}", host.name, c, cc.hook_command(c))
                      for i, c in enumerate(host.cron_start, 1)]
        else:
            if record.get("cron") and running.cron != "running":
                cmd = cc.start_cron_command(running.systemd)
                steps.append(_command_step("Start the cron daemon", host.name, cmd, cmd))
            elif record.get("cron"):
                notes.append("cron already runs again: it is not started twice")
            if timers:
                cmd = cc.timers_command("start", timers)
                were = noun(len(timers), "was", "were")
                steps.append(_command_step(f"Start the {count(len(timers), 'timer')} that {were} active", host.name,
                                           cmd, cmd))
        steps.append(_remove_step(host.name))
        return Plan(
            self.name, target, self.summary, checks=(reach,), steps=tuple(steps), locks=base.locks,
            verification=(*(["cron runs on " + host.name] if record.get("cron") else []),
                          *(f"timer {t} is active" for t in timers)),
            rollback=(f"If a start fails, the record stays on {host.name}: fix the cause and run resume-cron again.",),
            notes=tuple(notes),
            verify=_verifier(host.name, bool(record.get("cron")), timers),
        )
