"""The audit log: append-only JSONL, one fsynced record per event."""

from cockpit.audit.log import AuditLog, read_records

__all__ = ["AuditLog", "read_records"]
