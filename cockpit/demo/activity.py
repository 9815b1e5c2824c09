"""A few days of helpdesk work AFTER last Sunday's backup: new tickets,
messages, audit lines and queued mail, dated after the dump, so the backup is
really older than the live data (what a restore from it would lose).

New rows have ids from ``FIRST_NEW_ID`` on, so "no row newer than the backup
was lost" is a query: ``SELECT COUNT(*) ... WHERE id >= FIRST_NEW_ID``.
"""

from __future__ import annotations

from cockpit.lab.services.mariadb_seed import ident

FIRST_NEW_ID = 1_000_000
DAYS = 3

# table -> (rows per site, the INSERT's SELECT list over seq = 1..N; ids from FIRST_NEW_ID)
_NEW_ROWS: dict[str, tuple[int, str]] = {
    "ticket": (120, "{id}, 1 + seq % 500, 1 + seq % 20, CONCAT('Ticket ', {id}, ': mail bounced'), 'open', "
                    "NOW() - INTERVAL (seq * 36) MINUTE"),
    "ticket_message": (360, "{id}, {first} + seq % 120, REPEAT(CONCAT('reply ', seq, ' '), 6), "
                            "NOW() - INTERVAL (seq * 12) MINUTE"),
    "ticket_audit": (120, "{id}, {first} + seq % 120, 'created', NOW() - INTERVAL (seq * 36) MINUTE, "
                          "CONCAT('audit new ', seq)"),
    "mail_queue": (40, "{id}, CONCAT('new', seq, '@example.test'), CONCAT('Re: ticket ', seq), "
                       "NOW() - INTERVAL (seq * 100) MINUTE"),
}
NEW_ROW_TABLES = tuple(_NEW_ROWS)


def activity_sql(database: str) -> str:
    """The SQL that adds the days of work to one site's database."""
    out = [f"USE {ident(database)};"]
    for table, (n, select) in _NEW_ROWS.items():
        cols = select.format(id=f"{FIRST_NEW_ID} + seq", first=FIRST_NEW_ID)
        out.append(f"INSERT INTO {ident(table)} SELECT {cols} FROM seq_1_to_{n};")
    out.append(f"UPDATE {ident('ticket')} SET status = 'solved' WHERE id BETWEEN {FIRST_NEW_ID + 1} "
               f"AND {FIRST_NEW_ID + 30};")
    return "\n".join(out) + "\n"


def new_rows(table: str) -> int:
    """How many rows of ``table`` the activity adds to each site (0: none)."""
    return _NEW_ROWS[table][0] if table in _NEW_ROWS else 0
