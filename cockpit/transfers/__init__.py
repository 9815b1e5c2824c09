"""/storage imports: rsync runs detached on the destination host, pulling from
the source over SSH; the cockpit starts, watches, reattaches to, resumes,
cancels and verifies it. See :mod:`cockpit.transfers.engine` for the API."""
