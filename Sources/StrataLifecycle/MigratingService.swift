import Logging
import ServiceLifecycle
import Strata

/// Runs the writer's upgrade as a prelude to a service: the wrapped service (a Hummingbird or
/// Vapor server, an ingest loop) starts only once the database is at the scripts' heads.
///
/// It wraps the server instead of being a separate one-shot `Service` in the group: a service
/// that returns ends the whole `ServiceGroup`, so a bare "migrate and return" service would
/// shut the server down the moment migrations finished.
public struct MigratingService<Wrapped: Service>: Service {
    public let writer: StrataWriter
    public let service: Wrapped
    public let target: String

    public init(writer: StrataWriter, target: String = "heads", running service: Wrapped) {
        self.writer = writer
        self.service = service
        self.target = target
    }

    public func run() async throws {
        // A failed upgrade throws here, so the group shuts down before serving anything on a
        // schema it does not know.
        try await writer.upgrade(to: target)
        try await service.run()
    }
}
