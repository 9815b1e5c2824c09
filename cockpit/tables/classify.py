"""Turn the rows of one ``CHECK TABLE`` into a status: pure functions, tested
on captured real output (tests/data/tables/).

A result is every row the server sent: (Table, Op, Msg_type, Msg_text), the
last one normally ``status``/``OK`` or ``error``/``Corrupt``. Msg_type's case
varies (``error``, ``Error``, ``Warning``). A table is:

* corrupt: the final row says Corrupt, or any message says the table is
  corrupt, crashed, has a wrong checksum, a corrupted B-tree, or carries one
  of the handler errors for a broken table (126, 127, 134, 144, 145, 176,
  1034, 1194, 1195, 1877);
* ok: the final row is ``status OK`` and nothing else was said (a note that the
  engine cannot check at all counts as ok: there is nothing to check);
* warning: ``status OK`` with warnings or errors on the way (a table not
  closed properly, an upgrade needed);
* unknown: anything else (``Operation failed``: the table vanished, permission
  denied, no final row at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from cockpit.tables.model import CheckMessage, TableStatus
from cockpit.untrusted import decode, printable

MAX_MESSAGES = 50  # a table reporting thousands of rows keeps the first ones and the last

CORRUPT_TEXT = re.compile(
    r"\bcorrupt(?:ed)?\b|marked as crashed|\bcrashed\b|wrong checksum|B-tree of index .* is corrupted"
    r"|Found wrong record|Can't read key from filepos|Can't read indexpage|Wrong bytesec"
    r"|Incorrect key file|Incorrect information in file|Record-count is not ok|Found \d+ keys of \d+"
    r"|Size of datafile is|Key \d+ doesn't point at same record|Wrong record length|Can't find file"
    r"|(?:\berror\b|\berrno\b)\D{0,4}(?:126|127|134|144|145|176|1034|1194|1195|1877)\b",
    re.IGNORECASE)
UNSUPPORTED = re.compile(r"doesn't support check", re.IGNORECASE)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bytes | bytearray):
        return decode(bytes(v))
    return str(v)


def messages_from_rows(rows: Iterable[Sequence[Any]]) -> tuple[CheckMessage, ...]:
    """Every row kept (bounded): Msg_type lowercased (the raw case kept too), Msg_text made printable."""
    out: list[CheckMessage] = []
    for row in rows:
        if len(row) < 4:
            continue
        raw = printable(_text(row[2]), 32)
        out.append(CheckMessage(type=raw.strip().lower(), text=printable(_text(row[3])), raw_type=raw))
    if len(out) > MAX_MESSAGES:
        out = [*out[: MAX_MESSAGES - 1], out[-1]]
    return tuple(out)


def classify(messages: Sequence[CheckMessage]) -> TableStatus:
    if not messages:
        return TableStatus.UNKNOWN
    final = messages[-1]
    final_text = final.text.strip().lower()
    if final_text == "corrupt" or any(CORRUPT_TEXT.search(m.text) for m in messages):
        return TableStatus.CORRUPT
    if final.type == "status" and final_text == "ok":
        others = [m for m in messages[:-1] if m.type in ("warning", "error")]
        return TableStatus.WARNING if others else TableStatus.OK
    if final.type == "note" and UNSUPPORTED.search(final.text):
        return TableStatus.OK
    return TableStatus.UNKNOWN


def classify_rows(rows: Iterable[Sequence[Any]]) -> tuple[TableStatus, tuple[CheckMessage, ...]]:
    messages = messages_from_rows(rows)
    return classify(messages), messages
