/// Strata's own tables in a SQLite database. Every name starts with `strata_`; Docs/tables.md
/// documents them column by column.
enum StrataSchema {
    /// The layout version of Strata's tables, kept in `strata_meta`. A database whose layout is
    /// newer than this build's is refused rather than misread. 2: a snapshot's schema may be
    /// stored as changes from an earlier snapshot's (`SchemaDelta`); a writer of this build
    /// records 2 in a layout-1 file when it opens it.
    static let layoutVersion = 2

    static let versionTable = "strata_version"
    static let eventsTable = "strata_events"
    static let snapshotsTable = "strata_snapshots"

    /// Every table below, lowercased: a migration may read them but not change them
    /// (`TableWrites`). Other `strata_` names are free (autogenerate rebuilds through
    /// `strata_new_<table>`).
    static let ownTables: Set<String> = [
        "strata_meta", versionTable, eventsTable, "strata_scripts", snapshotsTable, "strata_snapshot_tables",
        "strata_snapshot_chunks", "strata_lock",
    ]

    /// `log --actor` (`ActorFilter`): one index on the whole actor text. Files written before it
    /// have none, or the three expression indexes an earlier build kept (on the actor's user,
    /// host and pid: three index entries per event); `SQLiteStore.prepareSchema` puts this one
    /// in their place the next time a writer opens the file. Only indexes change, so the
    /// layout version stays.
    static let actorIndex = "strata_events_by_actor"
    static let legacyActorIndexes = ["strata_events_by_user", "strata_events_by_host", "strata_events_by_pid"]
    static let auditIndexes = """
        CREATE INDEX IF NOT EXISTS \(actorIndex) ON strata_events (actor, seq);
        """

    /// The kinds written once per migration. `strata_events_by_kind` leaves them out: they make
    /// up most of the log, so a query for them reads the log backwards instead (it stops at
    /// the limit after about as many events), and every migration's commit writes one index
    /// page fewer. A query uses the index only when it repeats `sparseKindsCondition`
    /// word for word (SQLite's rule for partial indexes).
    static let denseKinds: Set<EventKind> = [.migrationApplied, .snapshotTaken]
    static let sparseKindsCondition = "kind NOT IN ('migration_applied', 'snapshot_taken')"
    static let kindIndexName = "strata_events_by_kind"
    static let kindIndex = """
        CREATE INDEX IF NOT EXISTS \(kindIndexName) ON strata_events (kind, seq) WHERE \(sparseKindsCondition);
        """
    /// An index earlier builds kept, dropped by the next writer: snapshots are looked up by
    /// revision rarely (restore, `show`), and their table is small (schemas are deltas).
    static let legacySnapshotIndex = "strata_snapshots_by_revision"

    static let create = """
        CREATE TABLE IF NOT EXISTS strata_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Alembic's alembic_version shape: one row per applied head; a projection of the log.
        CREATE TABLE IF NOT EXISTS strata_version (
            version_num TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;

        -- The append-only, hash-chained event log (Docs/formats.md, "Event hash").
        CREATE TABLE IF NOT EXISTS strata_events (
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
        \(kindIndex)
        CREATE INDEX IF NOT EXISTS strata_events_by_revision ON strata_events (revision, seq);
        CREATE INDEX IF NOT EXISTS strata_events_by_time ON strata_events (at);
        \(auditIndexes)

        -- Append-only by construction; the hash chain catches anyone who drops these first.
        CREATE TRIGGER IF NOT EXISTS strata_events_no_update BEFORE UPDATE ON strata_events
        BEGIN SELECT RAISE(ABORT, 'strata_events is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS strata_events_no_delete BEFORE DELETE ON strata_events
        BEGIN SELECT RAISE(ABORT, 'strata_events is append-only'); END;

        -- Script texts, content-addressed by the SHA-256 of their exact bytes, zlib-compressed.
        CREATE TABLE IF NOT EXISTS strata_scripts (
            sha256 TEXT NOT NULL PRIMARY KEY,
            size INTEGER NOT NULL,
            compression TEXT NOT NULL,
            content BLOB NOT NULL
        ) WITHOUT ROWID;

        -- Snapshots (Docs/formats.md, "Snapshot chunk codec v1"): one row per snapshot, with the
        -- full user schema when it was taken; one row per dumped table; the rows in chunks.
        CREATE TABLE IF NOT EXISTS strata_snapshots (
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
        CREATE TABLE IF NOT EXISTS strata_snapshot_tables (
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
        CREATE TABLE IF NOT EXISTS strata_snapshot_chunks (
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

        -- The writer lock: at most one row, the writer currently working on the database.
        CREATE TABLE IF NOT EXISTS strata_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            user TEXT NOT NULL,
            operation TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            lease_expires_ms INTEGER NOT NULL
        );
        """
}
