/// Builds the one-sentence error for a failed migration: what failed, where, and what state
/// the database is in now. "Revision 9f3b1a8d2c4f failed: no such column: x (statement 3 of 7
/// in Migrations/9f3b_drop.sql). The database is still at 2b5a61bb2b75."
enum MigrationFailure {
    static func describe(_ error: any Error, step: MigrationStep, script: MigrationScript,
                         body: MigrationBody, stateNow: [String]) -> StrataError {
        if let error = error as? StrataError, error.code == .databaseState {
            return StrataError(.databaseState, "\(error.message); revision \(script.id) was not run.", cause: error)
        }
        let verb = step.direction == .upgrade ? "" : " (downgrade)"
        let origin = script.file ?? script.node.origin
        var reason = SQLiteStore.reason(error)
        var location = origin
        var detail: String?
        // A statement that failed inside a non-transactional script's own BEGIN is still named.
        let failedStatement = error as? ScriptStatementError ?? (error as? TransactionLeftOpen)?.failure as? ScriptStatementError
        if let failed = failedStatement {
            let total = body.sql.map(StatementCounter.count) ?? 0
            location = "statement \(failed.index + 1) of \(max(total, failed.index + 1)) in \(origin)"
            detail = "Statement: " + SQLiteError.excerpt(failed.sql, limit: 400)
            if let offset = failed.underlying.offset {
                detail! += "\nError at byte offset \(offset) of the statement."
            }
        } else if let violations = error as? ForeignKeyViolations {
            reason = violations.description
            location = "checked before commit, \(origin)"
        }
        var state = "The database is still at \(HeadsDescription(stateNow))."
        if !script.transactional, error is ScriptStatementError {
            state = "The script has 'transaction: false', so statements before the failing one stay applied; the version table is still at \(HeadsDescription(stateNow))."
        } else if error is TransactionLeftOpen {
            state = "The script has 'transaction: false', so statements before that BEGIN stay applied; the version table is still at \(HeadsDescription(stateNow))."
        }
        return StrataError(.migrationFailed, "Revision \(script.id)\(verb) failed: \(reason) (\(location)). \(state)",
                           detail: detail, cause: error)
    }
}
