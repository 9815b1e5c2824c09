"""The sites lines of the short human ``cockpit status`` table."""

from __future__ import annotations

from typing import Any

from cockpit.untrusted import printable


def sites_lines(doc: dict[str, Any]) -> list[str]:
    """One summary line, then one line per site that is not OK (worst first)."""
    sites = doc.get("sites") or []
    if not sites:
        return []
    counts: dict[str, int] = {}
    for s in sites:
        counts[s["state"]] = counts.get(s["state"], 0) + 1
    order = ("corrupt", "unreachable", "unknown", "checking", "ok")
    lines = ["sites: " + ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))]
    rank = {"critical": 0, "unknown": 1, "warning": 2, "ok": 3}
    for s in sorted(sites, key=lambda s: (rank.get(s["severity"], 1), s["name"])):
        if s["state"] == "ok" and s["severity"] == "ok":
            continue
        what = ", ".join(s.get("corrupt_tables") or []) or s.get("error") or s["state"]
        lines.append(printable(f"  {s['name']} ({s['host']}): {s['state'].upper()} {what}", 150))
    return lines
