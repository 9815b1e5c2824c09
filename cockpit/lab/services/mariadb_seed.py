"""The SQL that fills a lab host's MariaDB: the ``cockpit`` user and one
helpdesk-like database per site (a mix of InnoDB, Aria and MyISAM tables, a
few thousand rows), generated with the Sequence engine so the SQL stays short.

``worker`` (Aria) and ``ticket_audit`` (MyISAM) are the rarely-changed tables
of the outage story; both are big enough (several pages) to corrupt a page in
the middle of their files.
"""

from __future__ import annotations

from collections.abc import Iterable

ENGINES = ("InnoDB", "Aria", "MyISAM")

# name, engine, columns, rows (SELECT over seq_1_to_N), N
_TABLES: tuple[tuple[str, str, str, str, int], ...] = (
    ("customer", "InnoDB", "id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), created DATETIME, "
     "KEY (email)",
     "seq, CONCAT('Customer ', seq), CONCAT('c', seq, '@example.test'), '2024-01-01' + INTERVAL seq HOUR", 500),
    ("agent", "InnoDB", "id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), active TINYINT",
     "seq, CONCAT('Agent ', seq), CONCAT('a', seq, '@example.test'), seq % 5 <> 0", 20),
    ("ticket", "InnoDB", "id INT PRIMARY KEY, customer_id INT, agent_id INT, subject VARCHAR(200), "
     "status VARCHAR(16), created DATETIME, KEY (customer_id), KEY (status)",
     "seq, 1 + seq % 500, 1 + seq % 20, CONCAT('Ticket ', seq, ': printer on fire'), "
     "ELT(1 + seq % 4, 'open', 'pending', 'solved', 'closed'), '2024-01-01' + INTERVAL seq MINUTE", 1500),
    ("ticket_message", "InnoDB", "id INT PRIMARY KEY, ticket_id INT, body TEXT, created DATETIME, "
     "KEY (ticket_id)",
     "seq, 1 + seq % 1500, REPEAT(CONCAT('message ', seq, ' '), 8), '2024-01-02' + INTERVAL seq MINUTE", 3000),
    ("ticket_audit", "MyISAM", "id INT PRIMARY KEY, ticket_id INT, action VARCHAR(32), at DATETIME, "
     "note CHAR(40), KEY (ticket_id), KEY (at)",
     "seq, 1 + seq % 1500, ELT(1 + seq % 3, 'created', 'assigned', 'closed'), "
     "'2024-01-01' + INTERVAL seq MINUTE, CONCAT('audit ', seq)", 2000),
    ("worker", "Aria", "id INT PRIMARY KEY, name VARCHAR(64), hostname VARCHAR(64), state VARCHAR(16), "
     "last_seen DATETIME, config VARCHAR(255), KEY (name)",
     "seq, CONCAT('worker-', seq), CONCAT('node', seq % 7, '.example.test'), "
     "ELT(1 + seq % 3, 'idle', 'busy', 'paused'), '2024-03-01' + INTERVAL seq SECOND, "
     "REPEAT('x', 200)", 400),
    ("settings", "Aria", "name VARCHAR(64) PRIMARY KEY, value VARCHAR(255)",
     "CONCAT('setting_', seq), CONCAT('value ', seq)", 50),
    ("tag", "MyISAM", "id INT PRIMARY KEY, name VARCHAR(40), UNIQUE KEY (name)",
     "seq, CONCAT('tag', seq)", 100),
    ("ticket_tag", "MyISAM", "ticket_id INT, tag_id INT, PRIMARY KEY (ticket_id, tag_id)",
     "seq, 1 + seq % 100", 1500),
    ("mail_queue", "InnoDB", "id INT PRIMARY KEY, recipient VARCHAR(120), subject VARCHAR(200), "
     "queued_at DATETIME",
     "seq, CONCAT('c', seq, '@example.test'), CONCAT('Re: ticket ', seq), '2024-04-01' + INTERVAL seq MINUTE", 200),
    ("stats_daily", "Aria", "day DATE PRIMARY KEY, tickets INT, messages INT",
     "'2023-01-01' + INTERVAL seq DAY, seq % 40, seq % 90", 365),
    ("session", "MyISAM", "id CHAR(32) PRIMARY KEY, agent_id INT, data VARCHAR(255), expires DATETIME",
     "MD5(seq), 1 + seq % 20, REPEAT('s', 60), '2024-05-01' + INTERVAL seq HOUR", 100),
)

STANDARD_TABLES = tuple(t[0] for t in _TABLES)
ODD_TABLE = "old `import` 2019"  # a name that needs quoting (backticks and spaces)


def ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def site_sql(database: str, *, extra_tables: int = 0, odd_table: bool = False, rows_scale: float = 1.0) -> str:
    """CREATE DATABASE and its tables; ``extra_tables`` more small tables
    (``archive_01``...) cycling through the engines (for the benchmark's 20 per site)."""
    db = ident(database)
    out = [f"CREATE DATABASE IF NOT EXISTS {db};", f"USE {db};"]
    for name, engine, cols, select, n in _TABLES:
        rows = max(1, int(n * rows_scale))
        out.append(f"CREATE TABLE {ident(name)} ({cols}) ENGINE={engine};")
        out.append(f"INSERT INTO {ident(name)} SELECT {select} FROM seq_1_to_{rows};")
    for i in range(1, extra_tables + 1):
        name = f"archive_{i:02d}"
        engine = ENGINES[i % len(ENGINES)]
        out.append(f"CREATE TABLE {ident(name)} (id INT PRIMARY KEY, note VARCHAR(64), at DATETIME) "
                   f"ENGINE={engine};")
        out.append(f"INSERT INTO {ident(name)} SELECT seq, CONCAT('archived ', seq), "
                   f"'2020-01-01' + INTERVAL seq DAY FROM seq_1_to_{max(1, int(50 * rows_scale))};")
    if odd_table:
        out.append(f"CREATE TABLE {ident(ODD_TABLE)} (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=MyISAM;")
        out.append(f"INSERT INTO {ident(ODD_TABLE)} SELECT seq, CONCAT('v', seq) FROM seq_1_to_30;")
    return "\n".join(out) + "\n"


def users_sql(password: str) -> str:
    pw = literal(password)
    return (f"CREATE USER IF NOT EXISTS 'cockpit'@'%' IDENTIFIED BY {pw};\n"
            f"ALTER USER 'cockpit'@'%' IDENTIFIED BY {pw};\n"
            "GRANT ALL PRIVILEGES ON *.* TO 'cockpit'@'%';\n")


def seed_sql(password: str, databases: Iterable[str], *, extra_tables: int = 0,
             odd_table_in: Iterable[str] = (), rows_scale: float = 1.0) -> str:
    odd = set(odd_table_in)
    parts = [users_sql(password)]
    parts += [site_sql(db, extra_tables=extra_tables, odd_table=db in odd, rows_scale=rows_scale)
              for db in databases]
    return "".join(parts)
