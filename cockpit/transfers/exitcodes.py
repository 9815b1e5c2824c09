"""What an rsync exit status means (rsync(1), EXIT VALUES), and a signal's name.

The detached job records ``wait``'s status: above 128 it is a signal
(137 = 128 + 9: SIGKILL, e.g. the lab's kill-rsync fault).
"""

from __future__ import annotations

import signal

RSYNC_EXIT: dict[int, str] = {
    0: "success",
    1: "syntax or usage error",
    2: "protocol incompatibility",
    3: "errors selecting input/output files or directories",
    4: "requested action not supported",
    5: "error starting client-server protocol",
    6: "daemon unable to append to log file",
    10: "error in socket I/O",
    11: "error in file I/O (disk full? read-only?)",
    12: "error in rsync protocol data stream (connection to the source lost)",
    13: "errors with program diagnostics",
    14: "error in IPC code",
    19: "received SIGUSR1",
    20: "received SIGINT, SIGTERM or SIGHUP (stopped)",
    21: "some error returned by waitpid()",
    22: "error allocating core memory buffers",
    23: "partial transfer due to error (some files were not transferred)",
    24: "partial transfer due to vanished source files",
    25: "the --max-delete limit stopped deletions",
    30: "timeout in data send/receive",
    35: "timeout waiting for daemon connection",
    127: "rsync not found on the destination host",
    255: "ssh error (the source host could not be reached or dropped the connection)",
}

PARTIAL = frozenset({23, 24})


def signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def meaning(code: int | None) -> str:
    """One line for the operator: ``11: error in file I/O ...``."""
    if code is None:
        return "no exit status (the job was interrupted)"
    if 128 < code < 128 + 65:
        return f"killed by {signal_name(code - 128)}"
    text = RSYNC_EXIT.get(code)
    return text if text is not None else f"exit status {code}"
