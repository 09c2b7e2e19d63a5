/// Puts tables back as snapshots hold them, and the schema (indexes, triggers, views) back as
/// `target` describes it. Runs inside the caller's transaction, with foreign keys off.
struct SnapshotApplier {
    struct Source {
        var snapshot: Int64
        var table: SnapshotCatalog.Table
    }

    struct Summary: Sendable {
        var restored: [String] = []
        var dropped: [String] = []
        var rows: Int64 = 0
    }

    let connection: Connection
    var progress: SnapshotProgressHandler? = nil
    var catalog: SnapshotCatalog { SnapshotCatalog(connection: connection) }

    /// The tables a restore puts back from `sources`: those that existed when snapshotted.
    static func rebuilt(_ sources: [String: Source]) -> [String] {
        sources.filter { $0.value.table.existed }.keys.sorted()
    }

    /// The tables it drops: those a later migration created (snapshotted as not existing).
    /// Tables no migration made, absent from the target's schema too, are not Strata's to drop.
    static func dropped(_ sources: [String: Source]) -> [String] {
        sources.filter { !$0.value.table.existed }.keys.sorted()
    }

    /// Whether a restore leaves `table` alone though the target's schema does not describe
    /// it: no migration made it (it is in no snapshot), so it is not Strata's to drop.
    static func keeps(_ table: String, target: SchemaCapture, sources: [String: Source]) -> Bool {
        !target.tables.contains { sameIdentifier($0.name, table) } && !sources.keys.contains { sameIdentifier($0, table) }
    }

    /// `sources`: for each table whose rows come from a snapshot, which one. A source whose
    /// table did not exist means "drop it". Tables neither in `sources` nor in `target` (made
    /// outside the migrations) are kept, with their indexes and triggers.
    /// `beforeDroppingReplaced` runs once the restored rows are in, while the tables they
    /// replace and the tables to drop are still there, set aside (`TablesSetAside.tables`).
    func apply(target: SchemaCapture, sources: [String: Source],
               beforeDroppingReplaced: ([(aside: String, original: String)]) throws -> Void = { _ in }) throws -> Summary {
        var summary = Summary()
        let current = try SchemaCapture(connection: connection)
        let rebuild = Self.rebuilt(sources)
        let drop = Self.dropped(sources)
        func kept(_ table: String) -> Bool { Self.keeps(table, target: target, sources: sources) }

        // Views and triggers go first (they may name tables about to be dropped); those still
        // wanted are created again at the end, from the target schema. A kept table's
        // triggers stay.
        for entry in current.entries.reversed() where entry.type == "view" || (entry.type == "trigger" && !kept(entry.table)) {
            try connection.execute("DROP \(entry.type.uppercased()) IF EXISTS main.\(quoteIdentifier(entry.name))")
        }
        // Old tables are dropped only once the restored rows are in: rows written to pages
        // freed in this transaction make a rollback journal copy those pages first, while
        // rows appended past the file's end cost nothing to journal.
        var aside = TablesSetAside(connection: connection)
        for name in rebuild {
            guard let source = sources[name], let definition = target.table(name)?.sql else {
                throw StrataError(.integrity, "The snapshot schema has no definition for table '\(name)'; nothing was restored.")
            }
            try aside.setAside(name)
            try connection.execute(definition)
            summary.rows += try insertRows(of: source, into: name)
            summary.restored.append(name)
        }
        // A table to drop whose name differs from a restored one's only in case was the same
        // table to SQLite, so it is already replaced.
        for name in drop {
            if !rebuild.contains(where: { sameIdentifier($0, name) }) { try aside.setAside(name) }
            summary.dropped.append(name)
        }
        for (replaced, original) in aside.tables {
            guard let restored = rebuild.first(where: { sameIdentifier($0, original) }) else { continue }
            try AutoincrementCounter.carryOver(from: replaced, to: restored, in: connection)
        }
        try beforeDroppingReplaced(aside.tables)
        try aside.dropAll()
        // Indexes: drop those the target does not have (or has differently), create the missing.
        let afterTables = try SchemaCapture(connection: connection)
        let wantedIndexes = Dictionary(target.entries.filter { $0.type == "index" && $0.sql != nil }.map { ($0.name, $0) },
                                       uniquingKeysWith: { a, _ in a })
        var present = Set(afterTables.entries.map { "\($0.type) \($0.name)" })
        for index in afterTables.entries where index.type == "index" && index.sql != nil && !kept(index.table) {
            if wantedIndexes[index.name]?.sql != index.sql {
                try connection.execute("DROP INDEX IF EXISTS main.\(quoteIdentifier(index.name))")
                present.remove("index \(index.name)")
            }
        }
        for entry in target.entries where entry.type != "table" && entry.sql != nil && !present.contains("\(entry.type) \(entry.name)") {
            try connection.execute(entry.sql!)
        }
        return summary
    }

    private func insertRows(of source: Source, into table: String) throws -> Int64 {
        let columns = source.table.columns
        guard !columns.isEmpty else { return 0 }
        let inserter = try RowInserter(connection: connection, table: table, columns: columns)
        var rows: Int64 = 0
        var bytes: Int64 = 0
        defer {
            progress?(SnapshotProgress(operation: "restore", table: table, rows: rows, expectedRows: source.table.rows,
                                       bytes: bytes, finished: true))
        }
        try catalog.forEachChunk(snapshot: source.snapshot, table: table) { raw, chunkRows in
            bytes += Int64(raw.count)
            let decoded = try inserter.insert(chunk: raw)
            rows += decoded
            guard decoded == chunkRows else {
                throw StrataError(.integrity, "A chunk of table '\(table)' in snapshot \(source.snapshot) decodes to \(decoded) rows, not \(chunkRows).")
            }
            progress?(SnapshotProgress(operation: "restore", table: table, rows: rows, expectedRows: source.table.rows,
                                       bytes: bytes, finished: false))
        }
        return rows
    }
}
