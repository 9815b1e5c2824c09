"""The disk probe's verdict for one host: parsed sections + inventory -> DiskReport.

Host severity is the worst finding (``cockpit.severity.worst``) with two rules:

* an unreadable kernel log makes the kernel finding UNKNOWN but is left out of
  the host's severity: not being allowed to read dmesg must not make an
  otherwise healthy host look broken (the pane still says "log not readable");
* a host whose /proc/mounts or existing /proc/mdstat could not be read is at
  least UNKNOWN: we cannot vouch for it. Mounts whose space figures are
  missing because df failed or timed out are UNKNOWN themselves.
"""

from __future__ import annotations

from cockpit.disk.eval_kernel import judge_kernel
from cockpit.disk.eval_mounts import judge_mounts
from cockpit.disk.eval_raid import judge_raid
from cockpit.disk.inputs import DiskInputs, parse_output
from cockpit.disk.model import DiskReport
from cockpit.inventory.model import Host
from cockpit.severity import Severity, worst


def report_from_output(output: bytes, nonce: str, host: Host) -> DiskReport:
    """The engine's entry point: raw probe stdout (see cockpit.disk.command) -> report. Never raises."""
    return evaluate(parse_output(output, nonce), host)


def evaluate(inputs: DiskInputs, host: Host) -> DiskReport:
    mounts = judge_mounts(inputs, host)
    raid = judge_raid(inputs.raid or ())
    kernel = judge_kernel(inputs.kernel)
    severities = [m.severity for m in mounts] + [r.severity for r in raid]
    if kernel.readable:
        severities.append(kernel.severity)
    if inputs.mounts is None or inputs.raid is None:
        severities.append(Severity.UNKNOWN)
    return DiskReport(
        mounts=mounts,
        raid=raid,
        kernel=kernel,
        errors=inputs.problems,
        severity=worst(severities),
    )
