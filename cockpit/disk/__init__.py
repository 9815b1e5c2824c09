"""Disk and mount health: parsers (pure functions) and the per-host probe."""
