"""``cockpit status``: one sweep, one JSON object (a contract) or a short table."""
