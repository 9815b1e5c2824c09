"""The incident timeline: state changes the engine observed, and actions.

Engine parts report what they see with one call::

    engine.timeline.observe(Observation(fact="site/shop1/tables", value="corrupt", normal="sound",
                                        kind="site.corrupt", subject="shop1", summary="...",
                                        severity=Severity.CRITICAL, evidence={"probe": "CHECK TABLE", ...}))

and the timeline records an event only when the fact's value differs from the
last one recorded (by this process or any other on this machine), so callers
may report their whole state after every sweep. See :mod:`cockpit.timeline.store`.
"""

from cockpit.timeline.event import Event, Observation
from cockpit.timeline.store import Timeline, timeline_path

__all__ = ["Event", "Observation", "Timeline", "timeline_path"]
