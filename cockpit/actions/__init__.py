"""Recovery actions: plans shown before anything runs, steps with live status,
verification, remote locks and an audit trail. Engine only (no UI).

Entry: :class:`cockpit.actions.service.ActionService` (prepare, execute);
the registry of actions by CLI name: :mod:`cockpit.actions.registry`.
"""
