"""Shared pytest configuration.

The lab fixtures (``lab``: one real fleet for the whole session; ``healed``:
heals every lab fault after a test) live in ``tests/lab_fixture.py``.
"""

pytest_plugins = ["lab_fixture"]
