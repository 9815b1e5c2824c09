"""The disk probe's whole output from a hostile host (tests/disk/test_disk_fuzz.py
fuzzes each parser and the splitter; this one follows the report to the screen):
``report_from_output`` (what ``probe_disks`` runs on the reply) into the disk
pane's rows and the host detail screen's blocks, which must show no escape,
control character or markup from the host."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hostile_fuzz import FUZZ, assert_safe_strings, assert_safe_text, hostile_bytes, ran
from hypothesis import given
from hypothesis import strategies as st

from cockpit.disk.command import SECTIONS
from cockpit.disk.evaluate import report_from_output
from cockpit.engine.hoststate import HostState, Reach
from cockpit.inventory.model import Host
from widgets.disk_rows import host_rows
from widgets.host_report import disk_blocks

DATA = Path(__file__).resolve().parents[1] / "data" / "disk"
REAL = [p.read_bytes() for p in sorted(DATA.glob("*/*.txt"))]
PROBES = [p.read_bytes() for p in sorted(DATA.glob("machine/probe_*.bin"))]
NONCE = "0123456789abcdef"
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
body = hostile_bytes(REAL, max_size=400)
section = st.tuples(st.sampled_from(SECTIONS), body, body, st.integers(0, 255))


def framed(parts: list[tuple[str, bytes, bytes, int]]) -> bytes:
    return b"".join(f"\n@@cockpit:{NONCE}:begin:{n}@@\n".encode() + out + f"\n@@cockpit:{NONCE}:stderr:{n}@@\n".encode()
                    + err + f"\n@@cockpit:{NONCE}:end:{n}:{rc}@@\n".encode() for n, out, err, rc in parts)


@FUZZ
@given(st.lists(section, max_size=9), st.integers(0, 10**6))
def test_hostile_probe_output_reaches_the_screen_escaped(parts: list[tuple[str, bytes, bytes, int]],
                                                          cut: int) -> None:
    ran("disk: whole probe output to the screen")
    raw = framed(parts)
    raw = raw[: cut % (len(raw) + 1)] if cut % 3 == 0 else raw
    host = Host(name="web1", address="198.18.0.1", mounts=("/", "/srv", "/[b]MK[/b]"))
    report = report_from_output(raw, NONCE, host)
    assert_safe_strings(report)
    state = HostState("web1", "198.18.0.1", "web", reach=Reach.UP, disk=report, checked_at=NOW, disk_at=NOW)
    for row in host_rows(state):
        for cell in row.cells:
            assert_safe_text(cell)
    for line in disk_blocks(report):
        assert_safe_text(line, multiline=True)


@FUZZ
@given(st.sampled_from(PROBES), st.integers(0, 10**6), hostile_bytes(max_size=200))
def test_a_real_probe_reply_damaged_anywhere(real: bytes, at: int, junk: bytes) -> None:
    ran("disk: real probe reply, damaged")
    i = at % (len(real) + 1)
    nonce = real.split(b"@@cockpit:", 1)[1].split(b":", 1)[0].decode() if b"@@cockpit:" in real else NONCE
    report = report_from_output(real[:i] + junk + real[i:], nonce, Host(name="web1", address="198.18.0.1"))
    state = HostState("web1", "198.18.0.1", "web", reach=Reach.UP, disk=report, checked_at=NOW, disk_at=NOW)
    for row in host_rows(state):
        for cell in row.cells:
            assert_safe_text(cell)
    for line in disk_blocks(report):
        assert_safe_text(line, multiline=True)
