import Foundation

/// MeshView's four tables (the shape of Migrations/c88468b7ab0b_initial_migration.sql, with the
/// later import_time_us columns), used by every data workload.
let meshviewSchema = [
    """
    CREATE TABLE node (
        id VARCHAR NOT NULL PRIMARY KEY, node_id BIGINT UNIQUE, long_name VARCHAR, short_name VARCHAR,
        hw_model VARCHAR, firmware VARCHAR, role VARCHAR, last_lat BIGINT, last_long BIGINT,
        channel VARCHAR, last_update DATETIME
    );
    """,
    """
    CREATE TABLE packet (
        id BIGINT NOT NULL PRIMARY KEY, portnum INTEGER, from_node_id BIGINT, to_node_id BIGINT,
        payload BLOB, import_time DATETIME, channel VARCHAR, import_time_us BIGINT
    );
    """,
    """
    CREATE TABLE packet_seen (
        packet_id BIGINT NOT NULL REFERENCES packet (id) ON DELETE CASCADE, node_id BIGINT NOT NULL,
        rx_time BIGINT NOT NULL, hop_limit INTEGER, hop_start INTEGER, channel VARCHAR, rx_snr FLOAT,
        rx_rssi INTEGER, topic VARCHAR, import_time DATETIME, import_time_us BIGINT,
        PRIMARY KEY (packet_id, node_id, rx_time)
    );
    """,
    """
    CREATE TABLE traceroute (
        id INTEGER NOT NULL PRIMARY KEY, packet_id BIGINT REFERENCES packet (id), gateway_node_id BIGINT,
        done BOOLEAN, route BLOB, import_time DATETIME, import_time_us BIGINT
    );
    """,
    "CREATE INDEX idx_packet_import_time_us ON packet (import_time_us DESC);",
    "CREATE INDEX idx_packet_from_node_time_us ON packet (from_node_id, import_time_us DESC);",
]

/// A counter CTE: `c(x)` runs from `from` to `through`.
func counter(_ from: Int, _ through: Int) -> String {
    "WITH RECURSIVE c(x) AS (SELECT \(from) UNION ALL SELECT x + 1 FROM c WHERE x < \(through))"
}

/// `count` packets with ids from `first`: portnums of MeshView's common apps, mostly broadcast,
/// payloads of 30-90 bytes mixing protobuf-ish random bytes with repetitive text (compressible
/// about as well as real decoded payloads are), microsecond import times two seconds apart.
func fillPackets(first: Int, count: Int) -> String {
    """
    \(counter(first, first + count - 1))
    INSERT INTO packet (id, portnum, from_node_id, to_node_id, payload, import_time, channel, import_time_us)
    SELECT 1000000000 + x * 7, CASE x % 6 WHEN 0 THEN 1 WHEN 1 THEN 3 WHEN 2 THEN 4 WHEN 3 THEN 67 WHEN 4 THEN 70 ELSE 71 END,
           2000000000 + (x * 2654435761) % 4000, CASE WHEN x % 5 = 0 THEN 2000000000 + (x * 40503) % 4000 ELSE 4294967295 END,
           randomblob(6 + x % 10) || CAST(printf('{"t":"mesh %d","hops":%d}', x % 977, x % 7) AS BLOB) || randomblob(x % 24),
           strftime('%Y-%m-%d %H:%M:%f', 1735689600 + x * 2, 'unixepoch'), CASE x % 3 WHEN 0 THEN 'LongFast' WHEN 1 THEN 'MediumFast' ELSE 'ShortFast' END,
           (1735689600 + x * 2) * 1000000 + (x * 7919) % 1000000
    FROM c;
    """
}

/// `perPacket` receptions for each packet whose id is in the given range of counters.
func fillSeen(firstPacket: Int, packets: Int, perPacket: Int) -> String {
    """
    WITH RECURSIVE g(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM g WHERE y < \(perPacket - 1)),
         c(x) AS (SELECT \(firstPacket) UNION ALL SELECT x + 1 FROM c WHERE x < \(firstPacket + packets - 1))
    INSERT INTO packet_seen (packet_id, node_id, rx_time, hop_limit, hop_start, channel, rx_snr, rx_rssi, topic, import_time, import_time_us)
    SELECT 1000000000 + x * 7, 2000000000 + (x * 31 + y * 977) % 4000, 1735689600 + x * 2 + y, 3 - y % 4, 7,
           CASE x % 3 WHEN 0 THEN 'LongFast' WHEN 1 THEN 'MediumFast' ELSE 'ShortFast' END,
           -5.25 + y, -90 - y * 3, 'msh/US/2/e/LongFast/!' || printf('%08x', 2000000000 + (x * 31 + y * 977) % 4000),
           strftime('%Y-%m-%d %H:%M:%f', 1735689600 + x * 2 + y, 'unixepoch'), (1735689600 + x * 2 + y) * 1000000
    FROM c, g;
    """
}

func fillNodes(_ count: Int) -> String {
    """
    \(counter(0, count - 1))
    INSERT INTO node (id, node_id, long_name, short_name, hw_model, firmware, role, last_lat, last_long, channel, last_update)
    SELECT printf('!%08x', 2000000000 + x), 2000000000 + x, 'Mesh node ' || x, substr(printf('%04X', x), 1, 4),
           CASE x % 4 WHEN 0 THEN 'TBEAM' WHEN 1 THEN 'HELTEC_V3' WHEN 2 THEN 'RAK4631' ELSE 'T_ECHO' END, '2.5.' || (x % 20),
           CASE x % 5 WHEN 0 THEN 'ROUTER' ELSE 'CLIENT' END, 374000000 + x * 1000, -1220000000 - x * 1000, 'LongFast',
           strftime('%Y-%m-%d %H:%M:%S', 1735689600 + x * 60, 'unixepoch')
    FROM c;
    """
}

func fillTraceroutes(_ count: Int) -> String {
    """
    \(counter(1, count))
    INSERT INTO traceroute (id, packet_id, gateway_node_id, done, route, import_time, import_time_us)
    SELECT x, 1000000000 + x * 70, 2000000000 + x % 4000, x % 2, randomblob(8 + x % 24),
           strftime('%Y-%m-%d %H:%M:%f', 1735689600 + x * 20, 'unixepoch'), (1735689600 + x * 20) * 1000000
    FROM c;
    """
}

/// Fast bulk-load pragmas for building workloads (never used while measuring).
let bulkPragmas = "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"

// MARK: - 200 revisions

/// One migration of the 200-revision history, as SQL statements (the same text goes into the
/// Strata script, the Alembic script and the raw sqlite3 run).
struct GeneratedMigration {
    var index: Int
    var revision: String
    var parent: String?
    var message: String
    var upgrade: [String]
    var downgrade: [String]
}

/// A MeshView-like history: the initial schema, then a steady mix of added columns, new tables
/// with indexes, seed rows, views and backfills: what two years of a small app's migrations do.
func twoHundredMigrations(count: Int = 200) -> [GeneratedMigration] {
    var result: [GeneratedMigration] = []
    func rev(_ i: Int) -> String { String(format: "%04x%08x", i, (i &* 2654435761) & 0xffff_ffff) }
    result.append(GeneratedMigration(
        index: 1, revision: rev(1), parent: nil, message: "Initial migration",
        upgrade: meshviewSchema,
        downgrade: ["DROP INDEX idx_packet_from_node_time_us;", "DROP INDEX idx_packet_import_time_us;",
                    "DROP TABLE traceroute;", "DROP TABLE packet_seen;", "DROP TABLE packet;", "DROP TABLE node;"]))
    for i in 2...count {
        var up: [String] = [], down: [String] = [], message: String
        switch i % 5 {
        case 0:
            message = "Add node attribute \(i)"
            up = ["ALTER TABLE node ADD COLUMN attr_\(i) TEXT;"]
            down = ["ALTER TABLE node DROP COLUMN attr_\(i);"]
        case 1:
            message = "Add table aux_\(i)"
            up = ["CREATE TABLE aux_\(i) (id INTEGER PRIMARY KEY, node_id BIGINT, value REAL, note TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);",
                  "CREATE INDEX idx_aux_\(i)_node ON aux_\(i) (node_id);"]
            down = ["DROP INDEX idx_aux_\(i)_node;", "DROP TABLE aux_\(i);"]
        case 2:
            message = "Add packet field \(i) and backfill it"
            up = ["ALTER TABLE packet ADD COLUMN field_\(i) INTEGER;",
                  "UPDATE packet SET field_\(i) = portnum WHERE field_\(i) IS NULL;"]
            down = ["ALTER TABLE packet DROP COLUMN field_\(i);"]
        case 3 where i >= 6:
            message = "Seed aux_\(i - 2)"
            up = ["INSERT INTO aux_\(i - 2) (node_id, value, note) VALUES (1, 0.5, 'seed'), (2, 1.5, 'seed'), (3, 2.5, 'seed');"]
            down = ["DELETE FROM aux_\(i - 2) WHERE note = 'seed';"]
        default:
            message = "Add view v_\(i)"
            up = ["CREATE VIEW v_\(i) AS SELECT id, from_node_id, import_time_us FROM packet WHERE portnum = \(i % 80);"]
            down = ["DROP VIEW v_\(i);"]
        }
        result.append(GeneratedMigration(index: i, revision: rev(i), parent: rev(i - 1), message: message, upgrade: up, downgrade: down))
    }
    return result
}

func strataScript(_ m: GeneratedMigration) -> String {
    """
    -- revision: \(m.revision)
    -- revises: \(m.parent ?? "")
    -- message: \(m.message)
    -- created: 2025-01-26T20:56:50Z

    -- +upgrade
    \(m.upgrade.joined(separator: "\n"))

    -- +downgrade
    \(m.downgrade.joined(separator: "\n"))

    """
}

func pythonString(_ s: String) -> String {
    "\"\"\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"") + "\"\"\""
}

func alembicScript(_ m: GeneratedMigration) -> String {
    """
    \"\"\"\(m.message)

    Revision ID: \(m.revision)
    Revises: \(m.parent ?? "")
    Create Date: 2025-01-26 20:56:50.123456
    \"\"\"
    from alembic import op

    revision = "\(m.revision)"
    down_revision = \(m.parent.map { "\"\($0)\"" } ?? "None")
    branch_labels = None
    depends_on = None

    UPGRADE = [
    \(m.upgrade.map { "    " + pythonString($0) + "," }.joined(separator: "\n"))
    ]
    DOWNGRADE = [
    \(m.downgrade.map { "    " + pythonString($0) + "," }.joined(separator: "\n"))
    ]


    def upgrade() -> None:
        for statement in UPGRADE:
            op.execute(statement)


    def downgrade() -> None:
        for statement in DOWNGRADE:
            op.execute(statement)

    """
}

/// Alembic's own "generic" template env.py, online mode only, with one transaction per migration
/// (the closest Alembic gets to Strata's and the sqlite3 run's shape). Synchronous SQLAlchemy:
/// MeshView's env.py is async (aiosqlite), which only adds an event loop on top of this.
let alembicEnv = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()

"""

let alembicIni = """
[alembic]
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///app.db

"""

/// The raw sqlite3 run: the same SQL, one BEGIN/COMMIT per migration, one shell invocation.
func rawSQL(_ migrations: [GeneratedMigration]) -> String {
    migrations.map { "BEGIN;\n" + $0.upgrade.joined(separator: "\n") + "\nCOMMIT;\n" }.joined()
}
