/// Strata's own tables in a SQLite database. Every name starts with `strata_`; Docs/tables.md
/// documents them column by column.
enum StrataSchema {
    static let versionTable = "strata_version"

    /// Alembic's `alembic_version` shape: one row per applied head.
    static let createVersionTable = """
        CREATE TABLE IF NOT EXISTS strata_version (
            version_num TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID
        """
}
