#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// Wake-ups for a reader: "the database file may have changed, read again".
///
/// On Linux, inotify on the database's folder reports the file, its `-wal` and its `-journal`
/// being created, written, renamed or deleted, by any process, at no cost while nothing
/// happens. A writer's commit writes the `-wal` file (WAL) or the database file and then
/// deletes the `-journal` (rollback journal; a Strata writer holding the lock zeroes its header
/// instead, `PersistentJournal`: a write all the same), so every commit wakes the reader. A
/// slow poll runs beside it for file systems that do not report changes made elsewhere (NFS,
/// some FUSE and container mounts) and for platforms without inotify.
///
/// A wake-up is only a hint: the reader confirms it with `PRAGMA data_version` and a read.
final class ChangeSignals: Sendable {
    enum Wake: Sendable {
        /// The file system reported a change to the database's files.
        case changed
        /// A recheck the reader asked for (`recheck(after:)`).
        case recheck
        /// The slow poll, or the deadline.
        case tick
    }

    /// Yields after a possible change, on every poll tick, once at the deadline and for each
    /// requested recheck. Ends when the consuming task is cancelled. Buffers at most one
    /// wake-up: several changes before the reader looks again need one read only.
    let wakeUps: AsyncStream<Wake>
    /// Whether a file-system watch is active (otherwise only the poll runs).
    let isWatching: Bool
    private let continuation: AsyncStream<Wake>.Continuation
    private let queue: DispatchQueue

    /// The poll interval beside a working file-system watch: a safety net only.
    static let watchedPoll: Duration = .seconds(1)
    /// The poll interval without one (macOS here, or the watch could not be set up).
    static let unwatchedPoll: Duration = .milliseconds(250)

    init(databasePath: String, deadline: ContinuousClock.Instant? = nil, poll: Duration? = nil) {
        let (stream, continuation) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let queue = DispatchQueue(label: "strata.reader.signals")
        let sources = SourceBox()

        var watching = false
        #if canImport(Glibc)
        if let watch = FolderWatch(databasePath: databasePath) {
            watching = true
            let source = DispatchSource.makeReadSource(fileDescriptor: watch.descriptor, queue: queue)
            source.setEventHandler { if watch.drain() { continuation.yield(.changed) } }
            source.setCancelHandler { watch.close() }
            sources.add(source)
            source.resume()
        }
        #endif

        let interval = poll ?? (watching ? Self.watchedPoll : Self.unwatchedPoll)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(clamping: interval.nanoseconds)
        // Leeway lets the kernel batch this wake-up with others: it is a safety net, not a clock.
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
                       leeway: .nanoseconds(nanoseconds / 10))
        timer.setEventHandler { continuation.yield(.tick) }
        sources.add(timer)
        timer.resume()

        if let deadline {
            let remaining = max(deadline - ContinuousClock.now, .zero)
            let alarm = DispatchSource.makeTimerSource(queue: queue)
            // A millisecond late rather than early, so the waiter finds the deadline passed.
            alarm.schedule(deadline: .now() + .nanoseconds(Int(clamping: remaining.nanoseconds) + 1_000_000))
            alarm.setEventHandler { continuation.yield(.tick) }
            sources.add(alarm)
            alarm.resume()
        }

        continuation.onTermination = { _ in sources.cancelAll() }
        wakeUps = stream
        isWatching = watching
        self.continuation = continuation
        self.queue = queue
    }

    /// Asks for a `.recheck` wake-up after `delay`.
    func recheck(after delay: Duration) {
        let continuation = self.continuation
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: delay.nanoseconds))) {
            continuation.yield(.recheck)
        }
    }

    /// Stops the watch and the timers (the sources hold the continuation, so the stream would
    /// otherwise keep itself alive).
    func stop() { continuation.finish() }

    deinit { continuation.finish() }
}

/// The dispatch sources behind one stream, cancelled together when the stream ends.
private final class SourceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceProtocol] = []

    func add(_ source: any DispatchSourceProtocol) {
        lock.withLock { sources.append(source) }
    }

    func cancelAll() {
        let all = lock.withLock { () -> [any DispatchSourceProtocol] in
            defer { sources = [] }
            return sources
        }
        for source in all { source.cancel() }
    }
}

/// Short rechecks after a wake-up that found no commit yet.
///
/// The file system reports the writes of a commit, not the commit becoming visible: in WAL mode
/// the writer appends the commit frame to `-wal` (reported), then syncs and updates the shared
/// memory index (not reported); in rollback-journal mode the reader may find the writer still
/// holding its lock. So a wake-up whose look sees nothing new means a write transaction is
/// probably under way: look again shortly, a little later each time (1, 2, 3, 4, 6, 9 ... ms),
/// and stop after about half a second; the next reported write starts again.
struct Rechecks {
    private var delay: Duration = .milliseconds(1)
    private var pending = false
    static let first: Duration = .milliseconds(1)
    static let last: Duration = .milliseconds(150)

    /// Call after each look. `sawChange`: the look found a commit (or had nothing to wait on).
    mutating func plan(after wake: ChangeSignals.Wake?, sawChange: Bool, busy: Bool, signals: ChangeSignals) {
        if wake == .recheck { pending = false }
        if sawChange && !busy {
            delay = Self.first
            return
        }
        // A poll tick that found nothing is the quiet case: no writer is at work.
        guard wake != .tick || busy, !pending else { return }
        if wake == .changed && delay > Self.last { delay = Self.first }
        guard delay <= Self.last else { return }
        signals.recheck(after: delay)
        pending = true
        delay = max(delay + .milliseconds(1), delay * 3 / 2)
    }
}

#if canImport(Glibc)
/// An inotify watch on the database's folder, reporting only the database's own files
/// (`app.db`, `app.db-wal`, `app.db-journal`; `-shm` changes through memory mapping, which
/// inotify does not see, and is not needed). Watching the folder rather than the file sees the
/// file appear when it does not exist yet, and survives the `-wal` being deleted and recreated.
private final class FolderWatch: @unchecked Sendable {
    let descriptor: Int32
    private let prefix: [UInt8]
    private var buffer = [UInt8](repeating: 0, count: 8192)

    init?(databasePath: String) {
        let url = URL(fileURLWithPath: databasePath)
        let folder = url.deletingLastPathComponent().path
        prefix = Array(url.lastPathComponent.utf8)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        descriptor = fd
    }

    /// Reads every pending event; `true` when one concerns the database's files (or the queue
    /// overflowed, so nothing can be ruled out). Runs on the signals' serial queue only.
    func drain() -> Bool {
        var relevant = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return relevant }
            var offset = 0
            while offset + 16 <= count {
                let (mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true }
                let name = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                if name.starts(with: prefix) { relevant = true }
                offset += 16 + length
            }
        }
    }

    func close() { Glibc.close(descriptor) }
}
#endif
