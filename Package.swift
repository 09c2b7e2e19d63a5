// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Strata", targets: ["Strata"]),
        .library(name: "StrataLifecycle", targets: ["StrataLifecycle"]),
        .executable(name: "strata", targets: ["StrataCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries: the names carry the project prefix because target names must be
        // unique across a whole package graph (GRDB and sqlite-nio ship their own "CSQLite").
        .systemLibrary(
            name: "StrataCSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // zlib itself, for the tests only: an independent reader and writer of the zlib streams
        // Strata makes with libdeflate.
        .systemLibrary(
            name: "StrataCZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Compresses and inflates snapshot chunks (zlib streams) about twice as fast as zlib.
        .systemLibrary(
            name: "StrataCDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]
        ),
        .target(
            name: "Strata",
            dependencies: [
                "StrataCSQLite",
                "StrataCDeflate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The glue for services: kept out of the core library so Strata itself stays light.
        .target(
            name: "StrataLifecycle",
            dependencies: [
                "Strata",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "StrataCLI",
            dependencies: [
                "Strata",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "StrataTests", dependencies: ["Strata", "StrataLifecycle", "StrataCZlib"]),
        // Spawns the built `strata` binary; depending on the executable makes sure it is built.
        .testTarget(name: "StrataCLITests", dependencies: ["Strata", "StrataCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
