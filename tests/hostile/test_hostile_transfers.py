"""An import's state directory as a hostile destination host reports it:
every file (rsync's progress2 log, its stderr, the verification's itemized
changes and stats, meta.json, exit stamps) fuzzed, framed by the real state
listing, through the poller's boundary (``parse_dump`` then ``classify``, what
``Transfers._poll_host`` runs on every reply) and into the transfers pane."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hostile_fuzz import FUZZ, HOSTILE, assert_safe_strings, assert_safe_text, hostile_bytes, ran
from hypothesis import given
from hypothesis import strategies as st

from cockpit.transfers import progress, verify
from cockpit.transfers.classify import classify
from cockpit.transfers.dump import parse_dump
from widgets.transfer_detail import import_detail_text
from widgets.transfer_rows import detail_text, summary_text, transfer_rows

DATA = Path(__file__).resolve().parents[1] / "data" / "transfers"
REAL = [p.read_bytes() for p in sorted(DATA.glob("*.out")) + sorted(DATA.glob("*.err"))]
NONCE = "0123456789abcdef"
NOW = 1_800_000_000
FILES = ["log", "err", "exit", "pid", "job.pid", "cancelled", "verify.exit", "verify.pid", "verify.err",
         "verify.changes", "verify.stats", "verify.local", "meta.json"]
META = {"run": "r1", "site": "acme", "source": "backup1:/backup/storage/acme", "destination": "web2:/storage/acme",
        "started_at": "2026-11-26T00:00:00Z", "started_by": "root@vm", "resumes": 1}

hostile_json = st.one_of(
    st.fixed_dictionaries({k: st.one_of(st.sampled_from(HOSTILE), st.just(v), st.integers(-2**70, 2**70),
                                        st.none(), st.lists(st.integers(), max_size=2), st.floats())
                           for k, v in META.items()}).map(lambda d: json.dumps(d).encode()),
    st.integers(1, 50_000).map(lambda n: b"[" * n),  # nested deeper than the JSON parser's recursion
    st.sampled_from([b'{"resumes": 1e999}', b'{"started_at": "2026-13-99"}', b'{"started_at": 5}', b"null"]),
)
stamp = st.one_of(st.tuples(st.integers(-2**40, 2**70), st.integers(-2**40, 2**70)).map(
    lambda t: f"{t[0]} {t[1]}\n".encode()), hostile_bytes(max_size=40))
file_body = {name: hostile_bytes(REAL) for name in FILES}
file_body.update({"exit": stamp, "verify.exit": stamp, "pid": stamp, "job.pid": stamp, "meta.json": hostile_json})
state_dir = st.fixed_dictionaries({}, optional=file_body)


def listing(files: dict[str, bytes], alive: list[str], extra: bytes) -> bytes:
    out = f"\n@@{NONCE}@@now {NOW}\n@@{NONCE}@@site acme\n".encode()
    for name, body in files.items():
        out += f"\n@@{NONCE}@@file {name}\n".encode() + body
    for name in alive:
        out += f"\n@@{NONCE}@@alive {name}\n".encode()
    return out + extra + f"\n@@{NONCE}@@mtime {NOW - 5}\n@@{NONCE}@@done\n@@{NONCE}@@end\n".encode()


@FUZZ
@given(state_dir, st.lists(st.sampled_from(["pid", "job.pid", "verify.pid"]), unique=True),
       hostile_bytes(max_size=100), st.integers(0, 10**6))
def test_state_listing_classifies_and_renders_safely(files: dict[str, bytes], alive: list[str], extra: bytes,
                                                      cut: int) -> None:
    ran("transfers: import state listing")
    out = listing(files, alive, extra)
    for data in (out, out[: cut % (len(out) + 1)]):  # whole, and cut off anywhere
        dump = parse_dump(data, NONCE)
        statuses = [classify(raw, now=dump.now, stall_seconds=60, key=f"{raw.site}@web2", destination_host="web2")
                    for raw in dump.imports.values()]
        assert_safe_strings(statuses)
        for row in transfer_rows(statuses):
            for cell in row.cells:
                assert_safe_text(cell)
        for s in statuses:
            assert_safe_text(detail_text(s), multiline=True)
            assert_safe_text(import_detail_text(s, datetime.fromtimestamp(NOW, UTC)), multiline=True)
            assert s.bytes_done is None or s.bytes_done >= 0
        assert_safe_text(summary_text(statuses, datetime.fromtimestamp(NOW, UTC), datetime.fromtimestamp(NOW, UTC)))


@FUZZ
@given(hostile_bytes(REAL, max_size=2000))
def test_progress2_log(data: bytes) -> None:
    ran("transfers: rsync progress2 log")
    p = progress.parse(data)
    if p is not None:
        assert p.bytes_done >= 0 and 0 <= p.percent <= 100 and p.records >= 1


@FUZZ
@given(st.one_of(st.none(), st.integers(-2**31, 2**31)), hostile_bytes(REAL), st.one_of(st.none(), st.integers()),
       hostile_bytes(REAL), hostile_bytes(REAL), hostile_bytes(REAL))
def test_verification_output(code: int | None, changes: bytes, total: int | None, stats: bytes, local: bytes,
                             errors: bytes) -> None:
    ran("transfers: rsync verify (itemize, stats)")
    v = verify.judge(code, changes, total, stats=stats, local=local, errors=errors)
    assert_safe_strings(v)
    assert not v.verified or (code == 0 and not v.differences)


def test_json_a_host_wrote_never_raises_even_nested_past_the_recursion_limit() -> None:
    from cockpit.actions.cron_commands import parse_record
    from cockpit.actions.locks import LockOwner

    deep = "[" * 100_000
    assert parse_record(deep) is None and LockOwner.parse(deep) is None
    assert LockOwner.parse('{"user": "\\u001b[31mroot"}') is not None
