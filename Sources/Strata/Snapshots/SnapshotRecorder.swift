import Foundation
import StrataCSQLite

/// Which tables a migration's snapshot holds.
public enum BackupMode: String, Sendable, CaseIterable {
    /// The tables the migration writes, alters, drops or creates (the default).
    case touched
    /// Every user table, before the migration's first statement.
    case all
    /// No snapshot.
    case none
}

/// Takes one migration's snapshot from inside its transaction.
///
/// While the migration runs, SQLite's authorizer reports, as each statement is *prepared*, the
/// tables it will write, alter, drop or create (`TableWrites`); before that statement runs,
/// every such table not yet recorded is dumped. So the dump is the exact pre-migration state, in the same
/// transaction, and tables the migration never touches cost nothing. A table that does not
/// exist yet is recorded as "did not exist" (restore drops it).
final class SnapshotRecorder {
    struct TableRecord: Sendable {
        var name: String
        var existed: Bool
        var summary: TableDumper.Summary
    }

    let connection: Connection
    let mode: BackupMode
    let revision: String?
    let reason: String
    let heads: [String]
    private(set) var snapshotID: Int64?
    /// The seq its `snapshot_taken` event will have, when the caller knows it (the log's tail
    /// + 1 inside the same write transaction): stored with the snapshot row up front, since
    /// setting it afterwards rewrites the row, schema and all. `link` corrects a wrong guess.
    var expectedEventSeq: Int64?
    private(set) var tables: [TableRecord] = []
    private var recorded: Set<String> = []
    private let started = ContinuousClock.now

    let progress: SnapshotProgressHandler?

    init(connection: Connection, mode: BackupMode, revision: String?, reason: String, heads: [String],
         progress: SnapshotProgressHandler? = nil) {
        self.connection = connection
        self.progress = progress
        self.mode = mode
        self.revision = revision
        self.reason = reason
        self.heads = heads
    }

    /// Starts the snapshot, before the migration's first statement. Every migration with a
    /// backup mode gets one, even one that touches no table's rows: its schema is what restore
    /// rebuilds indexes, triggers and views from. With `.all`, every table is dumped now.
    func begin() throws {
        guard mode != .none else { return }
        _ = try ensureSnapshot()
        if mode == .all { try record(try userTables()) }
    }

    /// Called before each statement runs with the tables it is the first to touch
    /// (`TableWrites`); with `.touched`, they are dumped now. With `.all` every table that
    /// exists was dumped already, so what is left is a table the migration creates (or a
    /// rename's new name): recorded as not existing, so a restore drops it.
    func beforeStatement(touching names: [String]) throws {
        if mode != .none { try record(names) }
    }

    /// Dumps (or records as absent) every table in `names` not recorded yet.
    func record(_ names: [String]) throws {
        for name in names where !recorded.contains(name) && !name.lowercased().hasPrefix("strata_") {
            do {
                try recordTable(name)
            } catch let error as StrataError {
                throw error
            } catch {
                throw StrataError(.sqlite, "Could not take the snapshot of table '\(name)': \(SQLiteStore.reason(error))", cause: error)
            }
        }
    }

    private func recordTable(_ name: String) throws {
        recorded.insert(name)
        let id = try ensureSnapshot()
        let dumper = TableDumper(connection: connection, progress: progress)
        // One look at sqlite_master answers both "does it exist" and "is it virtual"
        // (pragma_table_list would parse every table's columns to answer); a table the
        // migration creates is not there yet, which SQLite's in-memory schema says for free.
        let definition = connection.hasTable(named: name) != false
            ? try connection.scalar("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", [.text(name)])
            : nil
        let exists = definition != nil
        // Virtual tables hold no rows of their own to dump.
        let isVirtual = definition?.text?.uppercased().hasPrefix("CREATE VIRTUAL") == true
        var summary = TableDumper.Summary()
        var columns: [String] = []
        if exists && !isVirtual {
            columns = try dumper.columns(of: name, definition: definition?.text ?? "")
            // An empty table (every table of a fresh file) needs no disk-space check and no
            // dump: one probe instead of preparing the dump's SELECT and INSERT.
            if try connection.scalar("SELECT 1 FROM main.\(quoteIdentifier(name)) LIMIT 1") != nil {
                try DiskSpace.ensureRoom(toDump: name, connection: connection)
                summary = try dumper.dump(name, snapshotID: id, columns: columns)
            } else {
                progress?(SnapshotProgress(operation: "snapshot", table: name, rows: 0, expectedRows: nil, bytes: 0, finished: true))
            }
        }
        try connection.execute("""
            INSERT INTO strata_snapshot_tables (snapshot_id, name, existed, columns, rows, raw_bytes, stored_bytes, chunks)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(id), .text(name), .integer(exists ? 1 : 0), .text(JSONValue(columns).text),
                  .integer(summary.rows), .integer(summary.rawBytes), .integer(summary.storedBytes), .integer(summary.chunks)])
        tables.append(TableRecord(name: name, existed: exists, summary: summary))
    }

    private func ensureSnapshot() throws -> Int64 {
        if let snapshotID { return snapshotID }
        // The schema is captured before the first table is dumped, so before any statement ran.
        let schema = try SchemaCapture.storedText(connection: connection)
        try connection.execute("""
            INSERT INTO strata_snapshots (event_seq, revision, reason, taken_at, heads, schema, codec) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [expectedEventSeq.map(SQLiteValue.integer) ?? .null, revision.sqliteValue, .text(reason),
                  .text(Timestamp.string()), .text(JSONValue(heads.sorted()).text),
                  .text(schema.text), .integer(Int64(RowCodec.version))])
        let id = Int64(sqlite3_last_insert_rowid(connection.handle))
        // The next capture on this connection can be a delta from this one.
        connection.schemaFragments.snapshotID = id
        connection.schemaFragments.chainLength = schema.chainLength
        snapshotID = id
        return id
    }

    func userTables() throws -> [String] {
        try SchemaCapture(connection: connection).tables.map(\.name)
    }

    /// The `snapshot_taken` event, when anything was recorded.
    func event(status: WriterStatus) -> NewEvent? {
        guard let snapshotID else { return nil }
        return NewEvent(.snapshotTaken, revision: revision, status: status, heads: heads, detail: [
            "snapshot": .int(snapshotID),
            "reason": .string(reason),
            "mode": .string(mode.rawValue),
            "tables": .array(tables.map { table in
                ["name": .string(table.name), "existed": .bool(table.existed), "rows": .int(table.summary.rows),
                 "raw_bytes": .int(table.summary.rawBytes), "stored_bytes": .int(table.summary.storedBytes)]
            }),
            "rows": .int(tables.reduce(0) { $0 + $1.summary.rows }),
            "raw_bytes": .int(tables.reduce(0) { $0 + $1.summary.rawBytes }),
            "stored_bytes": .int(tables.reduce(0) { $0 + $1.summary.storedBytes }),
            "duration_ms": JSONValue(milliseconds: ContinuousClock.now - started),
        ])
    }

    /// Links the snapshot to its event once the event has its seq.
    func link(eventSeq: Int64) throws {
        guard let snapshotID, eventSeq != expectedEventSeq else { return }
        try connection.execute("UPDATE strata_snapshots SET event_seq = ? WHERE id = ?", [.integer(eventSeq), .integer(snapshotID)])
    }
}
