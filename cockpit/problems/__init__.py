"""The fleet's problems, worst first, from every pane's engine state (the wallboard's list).

Each area (disks, tables, transfers, DNS) contributes one function
``source(engine) -> Iterable[Problem]`` listed in :data:`cockpit.problems.registry.SOURCES`.
"""

from cockpit.problems.model import Problem
from cockpit.problems.registry import fleet_problems

__all__ = ["Problem", "fleet_problems"]
