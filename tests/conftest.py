"""Shared pytest configuration.

The lab fixtures (``lab``: one real fleet for the whole session; ``healed``:
heals every lab fault after a test) live in ``tests/lab_fixture.py``.
"""

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

# Every property test replays the same examples each run unless COCKPIT_FUZZ_RANDOM=1 (tests/hostile/hostile_fuzz.py).
settings.register_profile("cockpit", derandomize=os.environ.get("COCKPIT_FUZZ_RANDOM") != "1")
settings.load_profile("cockpit")

pytest_plugins = ["lab_fixture", "drill_report"]  # drill_report: the fault-drill table (issue #8)

_STATE_HOME = tempfile.mkdtemp(prefix="cockpit-test-state-")


# Tests that use a lab (a real fleet in namespaces) carry the ``lab`` mark however they get it, so
# ``-m lab`` / ``-m "not lab"`` split the suite exactly (setup.sh runs the two halves side by side).
LAB_FIXTURES = {"lab", "healed", "dblab", "drill_lab", "drill_app"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("lab") is None and LAB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.lab)


def pytest_configure(config: pytest.Config) -> None:
    # Engines made by tests (and the cockpit processes they start) keep their
    # state (audit, timeline) in a private directory, never in the user's.
    os.environ["XDG_STATE_HOME"] = _STATE_HOME


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_STATE_HOME, ignore_errors=True)
