"""Each site's verdict, kept until the site changes or one of its results may have grown stale.

A verdict is a pure function of the site's state (its ``version`` goes up with
every change) and of the time, through :func:`~cockpit.tables.verdict.is_stale`
alone; :func:`~cockpit.tables.verdict.fresh_until` says until when the time
cannot change it. Readers that need every site's verdict often share one:
the sites pane's summary at every update (2,000 sites from 40,000 tables held
the UI), and the wallboard's problem list and ``status --json``'s severity every
2 s (~6 % of an idle wallboard's CPU, py-spy).
"""

from __future__ import annotations

from datetime import datetime

from cockpit.tables.model import SiteState
from cockpit.tables.verdict import Verdict, fresh_until, verdict


class VerdictCache:
    def __init__(self) -> None:
        # site name -> (version, stale_after, computed at, fresh until, verdict)
        self._cache: dict[str, tuple[int, float | None, datetime, datetime | None, Verdict]] = {}

    def get(self, site: SiteState, now: datetime, stale_after: float | None) -> Verdict:
        hit = self._cache.get(site.name)
        if hit is not None and hit[0] == site.version and hit[1] == stale_after and hit[2] <= now \
                and (hit[3] is None or now <= hit[3]):
            return hit[4]
        version = site.version  # read first: a change while computing leaves the entry outdated, never wrong
        v = verdict(site, now, stale_after)
        self._cache[site.name] = (version, stale_after, now, fresh_until(site, stale_after), v)
        return v
