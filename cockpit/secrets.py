"""Secrets (MySQL passwords, TSIG keys) must never reach logs, audit, timeline,
screens or ``status --json``. Code that reads a secret registers it here, and
everything the cockpit writes passes through :func:`scrub`, which replaces any
registered secret value wherever it appears."""

from __future__ import annotations

import logging
import os
from typing import Any

_SECRETS: set[str] = set()
MASK = "********"


def register(value: str | None) -> None:
    if value and len(value) >= 4:
        _SECRETS.add(value)


def from_env(name: str) -> str | None:
    """Read a secret from the environment and register it."""
    value = os.environ.get(name)
    register(value)
    return value


def scrub_text(text: str) -> str:
    for s in _SECRETS:
        if s in text:
            text = text.replace(s, MASK)
    return text


def scrub(obj: Any) -> Any:
    """A copy of ``obj`` (JSON-like) with every registered secret masked."""
    if not _SECRETS:
        return obj
    if isinstance(obj, str):
        return scrub_text(obj)
    if isinstance(obj, dict):
        return {k: scrub(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [scrub(v) for v in obj]
    return obj


class ScrubbingFilter(logging.Filter):
    """A logging filter that masks secrets in messages and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg = scrub_text(str(record.getMessage()))
            record.args = None
        return True
