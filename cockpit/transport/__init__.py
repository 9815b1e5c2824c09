"""Transports to the fleet: SSH (asyncssh), MySQL (aiomysql) and DNS (dnspython)."""
