"""Bindings built from :mod:`cockpit.keymap` (binding ids are a contract).

Every binding the UI declares goes through :func:`bind`, so it carries its id
(the inventory's ``[keys]`` table remaps it through ``App.set_keymap``) and its
default key and description come from one table.

Read-only mode hides recovery-action bindings (``KeyDef.action``) from the
footer, the help screen and the command palette. :func:`shown` is the one rule
for that; the App's ``check_action`` applies it. Hiding is cosmetic: the
engine's ActionGate is what refuses an action.
"""

from __future__ import annotations

from typing import cast

from textual.binding import Binding
from textual.dom import DOMNode

from cockpit import keymap
from cockpit.keymap import KeyDef

_BY_ACTION: dict[str, KeyDef] = {}


def bind(binding_id: str, action: str, *, show: bool = True, group: Binding.Group | None = None,
         footer: str | None = None, key_display: str | None = None) -> Binding:
    """A Binding for ``binding_id`` with its default key; remaps apply by id.
    ``footer`` is a shorter description for the footer (80 columns are few)."""
    kd = keymap.default_for(binding_id)
    _BY_ACTION[action.partition("(")[0]] = kd
    return Binding(kd.key, action, footer or kd.description, show=show, id=kd.id, group=group,
                   key_display=key_display)


def keydef_for_action(action: str) -> KeyDef | None:
    """The key definition bound to the action named ``action`` (no parameters, no namespace)."""
    return _BY_ACTION.get(action)


def shown(kd: KeyDef | None, *, read_only: bool) -> bool:
    """Whether a binding is offered at all (footer, help, palette) in this mode."""
    return not (kd is not None and kd.action and read_only)


class AppChecksActions:
    """Mixin (first base) for screens and widgets that declare bindings: the
    App's ``check_action`` decides for them, so read-only hiding lives in one place.
    Not a DOMNode itself: Textual follows the first DOMNode base for CSS."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return cast(DOMNode, self).app.check_action(action, parameters)
