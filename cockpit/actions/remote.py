"""Running a step's command on a host, and turning every failure into a
one-line :class:`StepFailed` with the host's (printable, bounded) output."""

from __future__ import annotations

from cockpit.actions.context import ActionContext
from cockpit.actions.model import StepFailed
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.result import RunResult
from cockpit.untrusted import decode, printable
from cockpit.wording import count

MAX_LINES = 40


def output_text(res: RunResult) -> str:
    """stdout then stderr, each line made printable, at most MAX_LINES lines."""
    lines = [printable(line, 300) for part in (res.stdout, res.stderr)
             for line in decode(part).splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], f"... ({count(len(lines) - MAX_LINES + 1, 'more line')})"]
    return "\n".join(lines)


async def run_command(ctx: ActionContext, host: str, command: str, *, timeout: float | None = None,
                      check: bool = True) -> RunResult:
    """Run ``command`` (quoted by the caller) on ``host``; raise StepFailed on any failure."""
    budget = timeout if timeout is not None else max(60.0, ctx.engine.inventory.host(host).command_timeout)
    try:
        res = await ctx.engine.pool.run(host, command, timeout=budget)
    except HostDown as e:
        raise StepFailed(f"host {host} cannot be reached: {printable(str(e), 300)}") from None
    except ProbeError as e:
        raise StepFailed(f"on {host}: {printable(str(e), 300)}") from None
    if check and not res.ok:
        raise StepFailed(f"on {host}: exit status {res.exit_status}", output_text(res))
    return res
