import Logging
import ServiceLifecycle
import Strata

/// Runs the reader's wait as a prelude to a service: the wrapped service (a Hummingbird or
/// Vapor server) starts only once the database is at the reader's heads with the writer idle.
///
/// Like `MigratingService`, it wraps the server rather than being a one-shot `Service` of its
/// own, because a service that returns ends the whole `ServiceGroup`. A failed writer, an
/// incompatible database or the timeout throws, so the group shuts down before serving a page
/// on a schema this code does not understand. A graceful shutdown (SIGTERM) during the wait
/// stops it and returns without starting the service.
public struct WaitingService<Wrapped: Service>: Service {
    public let reader: StrataReader
    public let timeout: Duration?
    public let service: Wrapped

    public init(reader: StrataReader, timeout: Duration? = nil, running service: Wrapped) {
        self.reader = reader
        self.timeout = timeout
        self.service = service
    }

    public func run() async throws {
        let (reader, timeout) = (self.reader, self.timeout)
        do {
            try await cancelWhenGracefulShutdown {
                _ = try await reader.waitForHead(timeout: timeout)
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            return
        }
        try await service.run()
    }
}
