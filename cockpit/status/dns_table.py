"""DNS lines of the human ``cockpit status`` table: a summary, then each site
that is not fully propagated (worst first), with its worst answer."""

from __future__ import annotations

from typing import Any

from cockpit.untrusted import printable
from cockpit.wording import count


def _worst(site: dict[str, Any]) -> str:
    if site.get("problem"):
        return str(site["problem"])
    bad = [a for a in site["answers"] if not a["matches"]]
    if not bad:
        return "ok"
    a = bad[0]
    what = a["error"] or (", ".join(a["addresses"]) if a["addresses"] else a["rcode"] or a["state"])
    more = f" (+{len(bad) - 1} more)" if len(bad) > 1 else ""
    return f"{a['server']}: {a['state']} {what}{more}"


def dns_lines(doc: dict[str, Any]) -> list[str]:
    sites = doc.get("dns") or []
    if not sites:
        return []
    full = sum(1 for s in sites if s["severity"] == "ok")
    lines = [f"dns: {full}/{count(len(sites), 'site')} fully propagated"]
    for s in sites:
        if s["severity"] == "ok":
            continue
        pct = "—" if s["propagated_percent"] is None else f"{s['propagated_percent']:g}%"
        done = f", old answers gone by {s['done_by']}" if s.get("done_by") else ""
        waiting = f", waiting for {', '.join(s['waiting_for'])}" if s.get("waiting_for") else ""
        if s.get("wrong_in_zone"):
            waiting += f", wrong in the newest zone on {', '.join(s['wrong_in_zone'])} (waiting will not fix it)"
        lines.append(printable(f"  {s['site']:<16} {s['severity'].upper():<8} {pct:>6}  {_worst(s)}{done}{waiting}",
                               200))
    return lines
