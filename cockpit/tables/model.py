"""What is known about each site's tables (plain data; the checker fills it)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class TableStatus(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    CORRUPT = "corrupt"
    SUSPECT = "suspect"  # the connection died during its CHECK (a crashing server)
    UNKNOWN = "unknown"  # timeout, lost connection before, permission denied...
    UNCHECKED = "unchecked"  # discovered, no CHECK result yet

    @property
    def bad(self) -> bool:
        return self in (TableStatus.CORRUPT, TableStatus.SUSPECT)


class SiteStateName(enum.StrEnum):
    """The ``state`` of a site in ``status --json`` (a contract)."""

    OK = "ok"
    CORRUPT = "corrupt"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"
    CHECKING = "checking"


@dataclass(frozen=True)
class CheckMessage:
    type: str  # Msg_type lowercased: status, error, warning, note, info
    text: str  # printable (escaped for one line), as the server sent it
    raw_type: str = ""  # Msg_type as sent (its case varies)


@dataclass(frozen=True)
class TableInfo:
    """From information_schema.TABLES."""

    name: str
    engine: str | None = None
    rows: int | None = None
    data_length: int | None = None
    index_length: int | None = None
    comment: str = ""  # holds the open error for a table the server cannot open


@dataclass(frozen=True)
class TableCheck:
    status: TableStatus
    messages: tuple[CheckMessage, ...] = ()
    checked_at: datetime | None = None
    extended: bool = False
    error: str | None = None  # why there is no real result (timeout, connection lost...)


@dataclass(frozen=True)
class TableState:
    info: TableInfo
    check: TableCheck | None = None  # the last real result (or the last failure when there is none)
    stale: bool = False  # a later attempt failed: ``check`` is older than what was asked for
    stale_reason: str | None = None

    @property
    def status(self) -> TableStatus:
        return TableStatus.UNCHECKED if self.check is None else self.check.status

    @property
    def checked_at(self) -> datetime | None:
        return None if self.check is None else self.check.checked_at


@dataclass
class SiteState:
    """One site's tables and how its last check went. Mutated by the checker
    (``version`` goes up with every change, so a UI can redraw only what changed)."""

    name: str
    host: str
    database: str
    tables: dict[str, TableState] = field(default_factory=dict)
    error: str | None = None  # the site could not be (fully) checked: why
    unreachable: bool = False  # error is about reaching the server (vs. auth, missing database)
    checking: bool = False
    done: int = 0  # tables checked in the running check
    total: int = 0
    started_at: datetime | None = None  # of the running or last check
    checked_at: datetime | None = None  # when the last complete check finished
    failed_at: datetime | None = None  # when ``error`` was seen (the last failed attempt)
    extended: bool = False  # the running or last check was EXTENDED
    version: int = 0

    def touch(self) -> None:
        self.version += 1
