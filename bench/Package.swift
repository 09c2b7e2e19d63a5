// swift-tools-version: 6.0
// The benchmark harness: a package of its own, so it stays out of Strata's dependency graph and
// out of `swift test`. It depends on nothing but Foundation and drives the release `strata`
// binary and its peers (sqlite3, gzip, Alembic) as processes. Run it with `bash bench/run`.
import PackageDescription

let package = Package(
    name: "StrataBench",
    platforms: [.macOS(.v14)],
    targets: [
        .executableTarget(name: "strata-bench", path: "Sources/strata-bench"),
    ],
    swiftLanguageModes: [.v6]
)
