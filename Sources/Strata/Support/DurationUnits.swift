/// A `Duration` in the units the APIs below Strata take: whole milliseconds for SQLite's busy
/// timeout and the writer lock's lease, whole nanoseconds for Dispatch deadlines (both rounded
/// toward zero), and fractional milliseconds for the `duration_ms` the log records.
extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    var fractionalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
