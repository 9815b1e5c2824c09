"""The short human table ``cockpit status`` prints without ``--json``."""

from __future__ import annotations

from typing import Any

from cockpit.status.dns_table import dns_lines
from cockpit.status.sites_table import sites_lines
from cockpit.untrusted import printable


def render_table(doc: dict[str, Any]) -> str:
    rows = [("HOST", "STATE", "SEVERITY", "DETAIL")]
    for h in doc["hosts"]:
        rows.append((h["name"], h["state"], h["severity"].upper(), printable(_detail(h), 90)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}" for r in rows]
    lines += sites_lines(doc)
    lines += dns_lines(doc)
    lines.append(f"fleet: {doc['severity'].upper()} at {doc['generated_at']}")
    return "\n".join(lines)


def _detail(h: dict[str, Any]) -> str:
    if h["error"]:
        return str(h["error"])
    bad = [m for m in h["mounts"] if m["severity"] != "ok"]
    parts = []
    for m in bad:
        why = "; ".join(m.get("reasons") or [])
        parts.append(f"{m['mountpoint']} {why}".strip())
    for r in h["raid"]:
        if r["severity"] != "ok":
            parts.append(f"{r['device']} {r['state']}")
    k = h["kernel_errors"]
    if k and k.get("count"):
        parts.append(f"{k['count']} kernel I/O errors")
    elif k and not k.get("readable"):
        parts.append("kernel log not readable")
    return ", ".join(parts) or "ok"
