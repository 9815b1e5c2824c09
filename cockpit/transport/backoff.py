"""Jittered exponential backoff for reconnecting to a host that failed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 15.0
    failures: int = 0
    retry_at: float = 0.0

    def failed(self, now: float | None = None) -> float:
        """Record a failure; returns the delay before the next attempt."""
        now = time.monotonic() if now is None else now
        self.failures += 1
        delay: float = min(self.cap, self.base * 2.0 ** (self.failures - 1))
        delay *= random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not crypto
        self.retry_at = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.retry_at = 0.0

    def wait_left(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        return max(0.0, self.retry_at - now)

    def reset(self) -> None:
        """Allow an immediate retry (the operator pressed refresh)."""
        self.retry_at = 0.0
