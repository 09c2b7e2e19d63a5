/// The one error type Strata's library throws.
///
/// `message` is one complete sentence that names the file, revision and statement involved and
/// the state the database is left in; `detail` holds anything longer (SQL excerpts, candidate
/// lists). Callers branch on `code`, which is a struct so new codes can be added without
/// breaking anyone's `switch`.
public struct StrataError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidScript, invalidGraph, unknownTarget, ambiguousTarget, multipleHeads
            case migrationFailed, sqlite, databaseState, io, usage, integrity, timeout
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A migration script or Swift revision is malformed.
        public static let invalidScript = Code(.invalidScript)
        /// The revision graph is not a valid DAG (cycle, duplicate, missing parent, ...).
        public static let invalidGraph = Code(.invalidGraph)
        /// A target names no revision or label.
        public static let unknownTarget = Code(.unknownTarget)
        /// A prefix or label matches more than one revision.
        public static let ambiguousTarget = Code(.ambiguousTarget)
        /// `head` was asked for while the scripts have several heads.
        public static let multipleHeads = Code(.multipleHeads)
        /// A migration's SQL or code failed; it was rolled back.
        public static let migrationFailed = Code(.migrationFailed)
        /// SQLite reported an error outside a migration body.
        public static let sqlite = Code(.sqlite)
        /// The database is in a state the operation cannot work from.
        public static let databaseState = Code(.databaseState)
        /// A file or folder could not be read or written.
        public static let io = Code(.io)
        /// The request itself is not valid.
        public static let usage = Code(.usage)
        /// A stored checksum or hash does not match.
        public static let integrity = Code(.integrity)
        /// A wait ran out of time.
        public static let timeout = Code(.timeout)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var detail: String?
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, detail: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.cause = cause
    }

    public var description: String {
        guard let detail, !detail.isEmpty else { return message }
        return message + "\n" + detail
    }
}
