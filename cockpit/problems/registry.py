"""Where the wallboard finds problems: one source per area.

To add an area, write ``def my_problems(engine) -> Iterable[Problem]`` in your
own module (pure: read the engine's in-memory state, no I/O) and add it to
:data:`SOURCES`. A source that raises becomes one "unknown" problem saying so;
it never takes the wallboard down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from cockpit.problems.disks import disk_problems
from cockpit.problems.from_status import dns_problems, site_problems, transfer_problems
from cockpit.problems.model import Problem
from cockpit.severity import Severity

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

log = logging.getLogger(__name__)
Source = Callable[["Engine"], Iterable[Problem]]

SOURCES: list[tuple[str, Source]] = [
    ("disks", disk_problems),
    ("sites", site_problems),
    ("transfers", transfer_problems),
    ("dns", dns_problems),
]


def fleet_problems(engine: Engine) -> list[Problem]:
    """Every problem from every area, worst first."""
    out: list[Problem] = []
    for pane, source in SOURCES:
        try:
            out.extend(source(engine))
        except Exception as e:  # one area's bug must not blank the wallboard
            log.exception("problem source %s failed", pane)
            out.append(Problem(Severity.UNKNOWN, pane, "cockpit", f"internal error listing problems: "
                                                                  f"{type(e).__name__}"))
    return sorted(out, key=Problem.order)
