"""Text that came from a host, made safe to put on screen.

Hosts are assumed broken or hostile: a mount point may contain ``[bold red]``
(Textual/Rich markup) or ANSI escapes. Everything a host said is rendered
through :func:`host_text`, which strips control characters and escapes
(:func:`cockpit.untrusted.printable`) and returns a :class:`rich.text.Text`,
which is never parsed as markup (a plain ``str`` cell in a DataTable is).
"""

from __future__ import annotations

from rich.text import Text

from cockpit.untrusted import MAX_FIELD, printable


def host_text(value: str | None, *, style: str = "", limit: int = MAX_FIELD, missing: str = "—") -> Text:
    """``value`` as a literal, single-line Text; ``missing`` (dim) when it is None."""
    if value is None:
        return Text(missing, style="dim", end="")
    return Text(printable(value, limit), style=style, end="")


def join_host_texts(values: tuple[str, ...] | list[str], sep: str = "; ", *, limit: int = MAX_FIELD) -> Text:
    """Several host strings on one line, each escaped, the whole bounded by ``limit``."""
    return Text(printable(sep.join(printable(v) for v in values), limit), end="")
