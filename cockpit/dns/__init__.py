"""The DNS propagation engine: every site's name on every nameserver and
resolver, compared with where it should point now (see :mod:`cockpit.dns.sweep`),
and the TSIG update a failover makes (:mod:`cockpit.dns.update`)."""
