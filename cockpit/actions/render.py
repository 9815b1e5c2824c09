"""Plans and runs as plain text lines (the CLI prints them; the UI shows the
same words). Everything from a host in them is already printable."""

from __future__ import annotations

from cockpit.actions.model import ActionRun, Plan, StepState

_MARK = {StepState.PENDING: "[ ]", StepState.RUNNING: "[>]", StepState.DONE: "[x]", StepState.FAILED: "[!]",
         StepState.SKIPPED: "[-]"}


def plan_lines(plan: Plan) -> list[str]:
    out = [f"{plan.action}: {plan.summary}", f"Target: {plan.target.identity}", ""]
    if plan.checks:
        out.append("Preconditions:")
        out += [f"  {'OK  ' if c.ok else 'FAIL'} {c.what}" + (f": {c.detail}" if c.detail else "") for c in plan.checks]
        out.append("")
    if plan.locks:
        out.append("Locks: " + ", ".join(f"{lk.name} on {lk.host}" for lk in plan.locks))
        out.append("")
    out.append("Steps:" if plan.steps else "Steps: none (nothing to do)")
    for i, s in enumerate(plan.steps, 1):
        out.append(f"  {i}. {s.title}" + (f"  [on {s.host}]" if s.host else ""))
        out += [f"       $ {c}" for c in s.commands]
    for n in plan.notes:
        out.append(f"  Note: {n}")
    if plan.verification:
        out += ["", "Verification:"] + [f"  - {v}" for v in plan.verification]
    if plan.rollback:
        out += ["", "If a step fails:"] + [f"  - {r}" for r in plan.rollback]
    return out


def run_lines(run: ActionRun) -> list[str]:
    out = [f"{run.action} {run.target}: {run.state}" + (f" — {run.message}" if run.message else "")]
    for i, s in enumerate(run.steps, 1):
        out.append(f"  {_MARK[s.state]} {i}. {s.spec.title}")
        out += [f"        {line}" for line in s.output.splitlines()]
    for c in run.verification:
        out.append(f"  {'OK  ' if c.ok else 'FAIL'} {c.what}" + (f": {c.detail}" if c.detail else ""))
    return out
