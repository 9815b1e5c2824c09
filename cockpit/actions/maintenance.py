"""maintenance-on / maintenance-off: a site's own hooks from the inventory
(``maintenance_on`` / ``maintenance_off`` in its ``[[sites]]`` entry), run over
SSH on the host the site runs on now.

Strict quoting: each command is passed whole, as one quoted argument, to
``sh -c`` (whatever the remote login shell is), and the values the cockpit
adds (``COCKPIT_SITE``, ``COCKPIT_DATABASE``, ``COCKPIT_HOSTNAME``,
``COCKPIT_ACTION``) are quoted assignments in front of it. Hooks must be safe
to run twice: a re-run after a crash runs them again.
"""

from __future__ import annotations

import shlex

from cockpit import clock
from cockpit.actions.base import Action, site_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check, Plan, StepSpec
from cockpit.actions.remote import output_text, run_command
from cockpit.actions.targets import Target, TargetKind
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.wording import count

STATE_KEY = "maintenance"


def hook_command(action: str, target: Target, command: str) -> str:
    site = target.site
    assert site is not None
    env = {"COCKPIT_ACTION": action, "COCKPIT_SITE": site.name, "COCKPIT_DATABASE": site.database or "",
           "COCKPIT_HOSTNAME": site.hostname or ""}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env {assigns} sh -c {shlex.quote(command)}"


class _Maintenance(Action):
    kinds = (TargetKind.SITE,)
    key = ""  # maintenance_on | maintenance_off
    on = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        site, host = target.site, target.host
        assert site is not None
        hooks = site.maintenance_on if self.on else site.maintenance_off
        checks = [Check(f"site {site.name} has {self.key} commands in the inventory", bool(hooks),
                        count(len(hooks), "command") if hooks else
                        f"add {self.key} = [\"...\"] to its [[sites]] entry in {ctx.engine.inventory.path}")]
        try:
            res = await ctx.engine.pool.run(host.name, "true", timeout=host.connect_timeout + host.command_timeout)
            checks.append(Check(f"{host.name} answers over SSH", res.ok, f"exit status {res.exit_status}"))
        except (HostDown, ProbeError) as e:
            checks.append(Check(f"{host.name} answers over SSH", False, str(e)))
        steps = []
        for i, hook in enumerate(hooks, 1):
            command = hook_command(self.name, target, hook)

            async def run(ctx: ActionContext, command: str = command) -> str:
                res = await run_command(ctx, host.name, command, timeout=max(120.0, host.command_timeout))
                return output_text(res)

            steps.append(StepSpec(f"Run {self.key} hook {i} of {len(hooks)} on {host.name}", (command,),
                                  host.name, run))

        async def record(ctx: ActionContext) -> str:
            entry = {"on": self.on, "at": clock.iso(clock.now()), "by": str(ctx.service.actor)}
            ctx.state.update(lambda st: st.setdefault(STATE_KEY, {}).__setitem__(site.name, entry))
            return f"maintenance {'on' if self.on else 'off'} recorded for {site.name}"

        if hooks:
            steps.append(StepSpec(f"Record in the cockpit's state that {site.name} is "
                                  f"{'in' if self.on else 'out of'} maintenance", (), None, record))

        async def verify(ctx: ActionContext) -> list[Check]:
            assert ctx.run is not None
            return [Check(f"{s.spec.title}: exit status 0", s.state == "done") for s in ctx.run.steps]

        return Plan(
            self.name, target, self.summary, checks=tuple(checks), steps=tuple(steps),
            locks=(site_lock(host.name, site.name),),
            verification=(f"every {self.key} command exited with status 0",),
            rollback=(f"If a hook fails, the site may be half {'in' if self.on else 'out of'} maintenance: run "
                      f"{'maintenance-off' if self.on else 'maintenance-on'} {site.name} to undo, or fix the cause "
                      "and run this again (hooks run again from the first).",),
            notes=("Hooks must be safe to run twice: a re-run after a crash runs every hook again.",),
            verify=verify,
        )


class MaintenanceOn(_Maintenance):
    name = "maintenance-on"
    binding = "maintenance_on"
    title = "Maintenance on"
    summary = "Put a site in maintenance (pause its mail parsers) with its inventory hooks"
    key = "maintenance_on"
    on = True


class MaintenanceOff(_Maintenance):
    name = "maintenance-off"
    binding = "maintenance_off"
    title = "Maintenance off"
    summary = "Take a site out of maintenance (resume its mail parsers) with its inventory hooks"
    key = "maintenance_off"
    on = False
