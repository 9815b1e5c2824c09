"""The fault-drill table of issue #8: every test marked ``@pytest.mark.drill("what breaks")``
(the drill module tests/drills/, and the drills that need real processes or a
second cockpit, which live next to their area) is one line of a table printed
at the end of the run: drill, pass/fail, seconds, test. ``pytest -m drill``
runs them all; COCKPIT_DRILL_REPORT=FILE also writes the table as JSON."""

from __future__ import annotations

import json
import os

import pytest

MARK = "drill"
_NAMES: dict[str, str] = {}  # nodeid -> drill
_RESULTS: dict[str, dict[str, object]] = {}  # drill -> outcome, seconds, test


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARK}(name): a fault drill of issue #8 (one line of the drill table)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        mark = item.get_closest_marker(MARK)
        if mark is not None:
            _NAMES[item.nodeid] = str(mark.args[0]) if mark.args else item.name


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    name = _NAMES.get(report.nodeid)
    if name is None:
        return
    entry = _RESULTS.setdefault(name, {"outcome": "passed", "seconds": 0.0, "test": report.nodeid})
    entry["seconds"] = float(entry["seconds"]) + report.duration  # type: ignore[arg-type]
    if report.failed:
        entry["outcome"] = "FAILED" if report.when == "call" else f"ERROR ({report.when})"
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _RESULTS:
        return
    terminalreporter.section("fault drills (issue #8)")
    width = max(len(n) for n in _RESULTS)
    terminalreporter.write_line(f"{'drill':<{width}}  {'result':<8} {'s':>6}  test")
    for name, r in _RESULTS.items():
        terminalreporter.write_line(f"{name:<{width}}  {r['outcome']!s:<8} {float(r['seconds']):>6.1f}  "  # type: ignore[arg-type]
                                    f"{r['test']}")
    passed = sum(1 for r in _RESULTS.values() if r["outcome"] == "passed")
    terminalreporter.write_line(f"{passed} of {len(_RESULTS)} drills passed")
    out = os.environ.get("COCKPIT_DRILL_REPORT")
    if out:
        with open(out, "w") as f:
            json.dump(_RESULTS, f, indent=1)
