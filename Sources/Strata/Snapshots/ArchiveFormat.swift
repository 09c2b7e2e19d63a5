/// The archive file, version 1 (Docs/formats.md, "Archive file v1"): a SQLite file holding
/// copies of Strata's log tables and snapshots, and an `archive_meta` table describing them.
/// Frozen: a change is a new version, and this one keeps reading the archives already written.
public enum ArchiveFormat {
    public static let name = "strata-archive"
    public static let version = 1

    /// The tables copied from the live database, in copy order, with their columns.
    static let copiedTables: [(name: String, columns: String)] = [
        ("strata_meta", "key, value"),
        ("strata_events", "seq, at, kind, revision, status, heads, actor, detail, prev_hash, hash"),
        ("strata_scripts", "sha256, size, compression, content"),
        ("strata_snapshots", "id, event_seq, revision, reason, taken_at, heads, schema, codec, pruned_at"),
        ("strata_snapshot_tables", "snapshot_id, name, existed, columns, rows, raw_bytes, stored_bytes, chunks"),
        ("strata_snapshot_chunks", "snapshot_id, name, chunk, rows, raw_size, encoding, crc32, data"),
    ]

    /// `archive_meta` keys.
    enum Key {
        static let format = "format"
        static let formatVersion = "format_version"
        static let sourceDatabase = "source_database"
        static let exportedAt = "exported_at"
        static let exportedBy = "exported_by"
        static let firstEventSeq = "first_event_seq"
        static let lastEventSeq = "last_event_seq"
        static let eventCount = "event_count"
        static let headHash = "head_hash"
        static let snapshotIDs = "snapshot_ids"
        static let snapshotCount = "snapshot_count"
        static let chunkCount = "chunk_count"
    }

    /// The archive's tables: the live tables' columns, without the live database's indexes and
    /// triggers (an archive is written once, then only read).
    static let create = """
        CREATE TABLE archive_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE strata_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE strata_events (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            revision TEXT,
            status TEXT NOT NULL,
            heads TEXT NOT NULL,
            actor TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE strata_scripts (
            sha256 TEXT NOT NULL PRIMARY KEY,
            size INTEGER NOT NULL,
            compression TEXT NOT NULL,
            content BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE strata_snapshots (
            id INTEGER PRIMARY KEY,
            event_seq INTEGER,
            revision TEXT,
            reason TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            heads TEXT NOT NULL,
            schema TEXT NOT NULL,
            codec INTEGER NOT NULL,
            pruned_at TEXT
        );
        CREATE TABLE strata_snapshot_tables (
            snapshot_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            existed INTEGER NOT NULL,
            columns TEXT NOT NULL,
            rows INTEGER NOT NULL,
            raw_bytes INTEGER NOT NULL,
            stored_bytes INTEGER NOT NULL,
            chunks INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, name)
        );
        CREATE TABLE strata_snapshot_chunks (
            snapshot_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            chunk INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            raw_size INTEGER NOT NULL,
            encoding INTEGER NOT NULL,
            crc32 INTEGER NOT NULL,
            data BLOB NOT NULL,
            UNIQUE (snapshot_id, name, chunk)
        );
        """
}

