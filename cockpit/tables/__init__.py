"""Per-site table corruption: discovery, CHECK TABLE for every table of every
site, classification of the results and the ``sites`` part of the status.

The API the UI and the actions use is :class:`cockpit.tables.checker.TableChecker`
(``engine.tables``)."""
