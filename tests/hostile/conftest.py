"""Reports how many hostile examples each parser was fuzzed with (the counts
the hardening note quotes). COCKPIT_FUZZ_REPORT=FILE also writes them as JSON."""

from __future__ import annotations

import json
import os

import pytest
from hostile_fuzz import EXAMPLES, RUN


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RUN:
        return
    terminalreporter.section(f"hostile input: examples run (profile cockpit-fuzz, max {EXAMPLES} per test)")
    for parser, n in sorted(RUN.items()):
        terminalreporter.write_line(f"{parser:<40} {n:>7}")
    terminalreporter.write_line(f"{'total':<40} {sum(RUN.values()):>7}")
    out = os.environ.get("COCKPIT_FUZZ_REPORT")
    if out:
        with open(out, "w") as f:
            json.dump(dict(RUN), f, indent=1, sort_keys=True)
