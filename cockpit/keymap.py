"""Binding ids and their default keys. The UI builds its BINDINGS from this table
and the inventory's ``[keys]`` table remaps them, so the ids are a contract.

Keys avoid ctrl+b (tmux's default prefix) and anything tmux intercepts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyDef:
    id: str
    key: str
    description: str
    action: bool = False  # True: a recovery action, absent in read-only mode


DEFAULT_KEYS: tuple[KeyDef, ...] = (
    KeyDef("quit", "q", "Quit"),
    KeyDef("help", "question_mark", "Help / runbook"),
    KeyDef("refresh", "r", "Refresh now"),
    KeyDef("detail", "enter", "Details"),
    KeyDef("filter", "slash", "Filter the sites (tables pane)"),
    KeyDef("next_pane", "tab", "Next pane"),
    KeyDef("pane_disks", "1", "Disks pane"),
    KeyDef("pane_sites", "2", "Tables pane"),
    KeyDef("pane_transfers", "3", "Transfers pane"),
    KeyDef("pane_dns", "4", "DNS pane"),
    KeyDef("timeline", "t", "Timeline"),
    KeyDef("check_extended", "x", "EXTENDED check of the site"),  # CHECK TABLE ... EXTENDED (reads only)
    # recovery actions (cockpit.actions; hidden and refused in read-only)
    KeyDef("actions", "a", "Actions: progress"),
    *(KeyDef(i, k, d, action=True) for i, k, d in (
        ("stop_cron", "c", "Stop cron"), ("resume_cron", "C", "Resume cron"),
        ("maintenance_on", "m", "Maintenance on"), ("maintenance_off", "M", "Maintenance off"),
        ("failover_site", "f", "Fail over site"), ("failover_host", "F", "Fail over host"),
        ("restore_table", "R", "Restore table"), ("restore_corrupt_tables", "X", "Restore corrupt tables"),
        ("move_database", "D", "Move database"), ("import_start", "i", "Start import"),
        ("import_resume", "I", "Resume import"), ("import_cancel", "K", "Cancel import"),
        ("import_verify", "v", "Verify import"),
        ("recheck", "n", "Re-check now"),
        ("accept_host_key", "k", "Accept new host key"))),
)

_BY_ID = {k.id: k for k in DEFAULT_KEYS}


def known_ids() -> frozenset[str]:
    return frozenset(_BY_ID)


def default_for(binding_id: str) -> KeyDef:
    return _BY_ID[binding_id]


def resolve(overrides: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """binding id -> key string, defaults with the inventory's overrides applied."""
    keys = {k.id: k.key for k in DEFAULT_KEYS}
    keys.update(dict(overrides))
    return keys
