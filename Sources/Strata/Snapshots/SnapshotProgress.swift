/// Progress of a long snapshot or restore, reported once per chunk (about every MiB).
public struct SnapshotProgress: Sendable {
    /// `snapshot` or `restore`.
    public var operation: String
    public var table: String
    public var rows: Int64
    /// Rows expected in total, when known cheaply (an estimate for snapshots).
    public var expectedRows: Int64?
    /// Raw bytes encoded or decoded so far.
    public var bytes: Int64
    /// Set on the last report for a table.
    public var finished: Bool
}

public typealias SnapshotProgressHandler = @Sendable (SnapshotProgress) -> Void
