"""The sites lines of the human ``cockpit status`` table."""

from __future__ import annotations

from cockpit.status.sites_table import sites_lines


def test_sites_lines_summarise_then_name_what_is_wrong() -> None:
    doc = {"sites": [
        {"name": "acme", "host": "web1", "state": "ok", "severity": "ok", "corrupt_tables": [], "error": None},
        {"name": "globex", "host": "web2", "state": "unreachable", "severity": "unknown", "corrupt_tables": [],
         "error": "MySQL on web2: no answer\x1b[31m"},
        {"name": "initech", "host": "web1", "state": "corrupt", "severity": "critical",
         "corrupt_tables": ["ticket_audit", "worker"], "error": None},
    ]}
    lines = sites_lines(doc)
    assert lines[0] == "sites: 1 corrupt, 1 unreachable, 1 ok"
    assert lines[1] == "  initech (web1): CORRUPT ticket_audit, worker"
    assert lines[2].startswith("  globex (web2): UNREACHABLE MySQL on web2: no answer") and "\x1b" not in lines[2]
    assert len(lines) == 3
    assert sites_lines({"sites": []}) == []
