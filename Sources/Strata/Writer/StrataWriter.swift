import Dispatch
import Logging

/// The writer's boot step for a Swift service: one call brings the database to the scripts'
/// heads, with every step in the event log, and returns what it did.
///
/// SQLite calls block, so the work runs on a dedicated dispatch queue rather than on Swift
/// concurrency's cooperative threads.
public struct StrataWriter: Sendable {
    public var databasePath: String
    public var migrations: MigrationSet
    public var options: MigratorOptions
    public var logger: Logger

    public init(databasePath: String, migrations: MigrationSet, options: MigratorOptions = .init(),
                logger: Logger = Logger(label: "strata.writer")) {
        self.databasePath = databasePath
        self.migrations = migrations
        self.options = options
        self.logger = logger
    }

    /// Loads the `.sql` scripts in `migrationsDirectory` plus any Swift revisions.
    public init(databasePath: String, migrationsDirectory: String, swiftRevisions: [MigrationScript] = [],
                options: MigratorOptions = .init(), logger: Logger = Logger(label: "strata.writer")) throws {
        self.init(databasePath: databasePath,
                  migrations: try MigrationSet.load(directory: migrationsDirectory, swiftRevisions: swiftRevisions),
                  options: options, logger: logger)
    }

    /// Brings the database up to `target` (default: every head). At the target already, it
    /// only reads. Throws `StrataError` naming the revision, statement and database state.
    @discardableResult
    public func upgrade(to target: String = "heads") async throws -> MigrationReport {
        try Task.checkCancellation()
        let (path, migrations, options, logger) = (databasePath, self.migrations, self.options, self.logger)
        return try await Self.onWriterQueue {
            let migrator = Migrator(store: try SQLiteStore(path: path), migrations: migrations, options: options)
            do {
                let report = try migrator.upgrade(to: target)
                for step in report.steps {
                    logger.info("applied migration", metadata: [
                        "revision": "\(step.step.revision)", "statements": "\(step.statementCount)",
                        "duration": "\(step.duration)",
                    ])
                }
                logger.info("database is at \(HeadsDescription(report.after))", metadata: [
                    "database": "\(path)", "applied": "\(report.steps.count)",
                ])
                return report
            } catch {
                logger.error("upgrade failed: \(error)", metadata: ["database": "\(path)"])
                throw error
            }
        }
    }

    private static let queue = DispatchQueue(label: "strata.writer")

    static func onWriterQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
