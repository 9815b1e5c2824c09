"""The state listing's framing: hostile content cannot forge markers."""

from __future__ import annotations

from cockpit.transfers.dump import parse_dump

N = "0123456789abcdef"


def m(kind: str, arg: str = "") -> bytes:
    return f"\n@@{N}@@{kind}{' ' + arg if arg else ''}\n".encode()


def test_fields_per_site_and_the_framing_newline_is_not_content() -> None:
    out = (m("now", "1800000000") + m("site", "acme") + m("file", "exit") + b"0 17\n" + m("alive", "pid")
           + m("mtime", "1799999990") + m("file", "log") + b"\r  1  0%  0.98kB/s  0:00:00" + m("done") + m("end"))
    d = parse_dump(out, N)
    assert d.complete and d.now == 1_800_000_000
    acme = d.imports["acme"]
    assert acme.files["exit"] == b"0 17\n"
    assert acme.files["log"] == b"\r  1  0%  0.98kB/s  0:00:00"
    assert acme.alive == {"pid"} and acme.log_mtime == 1_799_999_990 and acme.complete


def test_a_log_cannot_forge_a_marker_without_the_nonce() -> None:
    forged = b"\n@@ffffffffffffffff@@alive pid\n\n@@@@end\n"
    out = m("site", "acme") + m("file", "log") + forged + m("done") + m("end")
    d = parse_dump(out, N)
    assert d.imports["acme"].alive == set()
    assert d.imports["acme"].files["log"] == forged


def test_cut_off_output_is_incomplete_and_odd_directory_names_are_reported() -> None:
    d = parse_dump(m("site", "acme") + m("file", "log") + b"\r 1 0%", N)
    assert not d.complete and not d.imports["acme"].complete
    bad = parse_dump(m("site", "../etc") + m("file", "exit") + b"0 1" + m("end"), N)
    assert bad.imports == {} and bad.problems and bad.complete
    assert parse_dump(b"sh: 1: syntax error", N).problems
    assert parse_dump(m("none"), N).no_state_dir
