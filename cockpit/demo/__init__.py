"""``cockpit demo``: the lab fleet in the state of the outage, ready to look at."""
