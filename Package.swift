// swift-tools-version:6.2
import PackageDescription

/// LazyRabbit: a durable, AI-assisted workflow engine.
///
/// Imports point one way: the executable composes the libraries; the engine depends on the DSL;
/// drivers depend on the seams and their C modules; nothing points back.
let package = Package(
    name: "LazyRabbit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lazyrabbit", targets: ["lazyrabbit"]),
        .library(name: "LazyRabbitWorker", targets: ["LazyRabbitWorker"]),
        .library(name: "WorkflowDSL", targets: ["WorkflowDSL"]),
        .library(name: "WorkflowExpressions", targets: ["WorkflowExpressions"]),
        .library(name: "WorkflowJSON", targets: ["WorkflowJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // 3.x and 4.x are API-compatible for what we use; the wide range lets Hummingbird resolve beside it.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Pure foundation: values, expressions, the DSL, the engine.
        .target(name: "WorkflowJSON"),
        .target(name: "WorkflowExpressions", dependencies: ["WorkflowJSON"]),
        .target(name: "WorkflowDSL", dependencies: [
            "WorkflowJSON", "WorkflowExpressions", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "WorkflowProtocol", dependencies: ["WorkflowJSON", "WorkflowDSL"], path: "Protocol"),
        .target(name: "WorkflowEngine", dependencies: [
            "WorkflowJSON", "WorkflowExpressions", "WorkflowDSL", "WorkflowProtocol",
        ]),
        .target(name: "WorkflowDrivers", dependencies: [
            "WorkflowJSON", "WorkflowProtocol", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Real backends, each over its own library.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CurlDriver", dependencies: ["CCurl", "WorkflowJSON"]),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .target(name: "DriverSupport"),
        .target(name: "RabbitMQDriver", dependencies: ["CRabbitMQ", "DriverSupport"]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(name: "RedisDriver", dependencies: ["CHiredis", "DriverSupport", "WorkflowDrivers"]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "PostgresDriver", dependencies: ["CLibPQ", "DriverSupport", "WorkflowJSON", "WorkflowProtocol", "WorkflowDrivers"]),
        .target(name: "SQLiteDriver", dependencies: [
            "WorkflowJSON", "WorkflowProtocol", "WorkflowDrivers", .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // Who may call the coordinator's API: roles, JWT verification, API tokens.
        .target(name: "AccessControl", dependencies: ["WorkflowDrivers", .product(name: "Crypto", package: "swift-crypto")]),

        // Intelligence: a language model over OpenAI's wire format, `llm` callbacks, NL→DSL drafting.
        .target(name: "Intelligence", dependencies: [
            "WorkflowJSON", "WorkflowDSL", "WorkflowProtocol", "CurlDriver", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Applications: the worker (callback runners + SDK), the coordinator, the embedded runtime.
        .target(name: "LazyRabbitWorker", dependencies: [
            "WorkflowJSON", "WorkflowDSL", "WorkflowExpressions", "WorkflowProtocol", "CurlDriver",
            "RabbitMQDriver", "RedisDriver", "DriverSupport", "Intelligence",
        ], path: "Worker"),
        .target(name: "LazyRabbitCoordinator", dependencies: [
            "WorkflowJSON", "WorkflowDSL", "WorkflowEngine", "WorkflowDrivers", "WorkflowProtocol",
        ], path: "Coordinator/Core"),
        .target(name: "CoordinatorService", dependencies: [
            "LazyRabbitCoordinator", "WorkflowJSON", "WorkflowDSL", "WorkflowEngine", "WorkflowDrivers", "WorkflowProtocol",
            "PostgresDriver", "RabbitMQDriver", "RedisDriver", "DriverSupport", "LazyRabbitWorker",
        ], path: "Coordinator/Service"),
        .target(name: "CoordinatorAPI", dependencies: [
            "AccessControl", "LazyRabbitCoordinator", "WorkflowJSON", "WorkflowDSL", "WorkflowDrivers", "WorkflowProtocol", "RedisDriver", "Intelligence",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Coordinator/API"),
        .target(name: "EmbeddedRuntime", dependencies: [
            "WorkflowJSON", "WorkflowDSL", "WorkflowEngine", "WorkflowDrivers", "WorkflowProtocol",
            "LazyRabbitWorker", "LazyRabbitCoordinator", "SQLiteDriver", "Intelligence",
        ]),
        .target(name: "Benchmarks", dependencies: [
            "EmbeddedRuntime", "CoordinatorService", "LazyRabbitCoordinator", "PostgresDriver", "RabbitMQDriver", "RedisDriver", "DriverSupport", "LazyRabbitWorker", "LocalServers", "SQLiteDriver", "WorkflowDSL", "WorkflowDrivers",
            "WorkflowEngine", "WorkflowJSON", "WorkflowProtocol",
        ]),
        .target(name: "LazyRabbitServer", dependencies: [
            "AccessControl", "CoordinatorAPI", "Intelligence", "CoordinatorService", "EmbeddedRuntime", "LazyRabbitCoordinator", "LazyRabbitWorker",
            "CurlDriver", "PostgresDriver", "RabbitMQDriver", "RedisDriver", "SQLiteDriver", "WorkflowDSL", "WorkflowDrivers", "WorkflowEngine",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .target(name: "FaultInjection", dependencies: [
            "AccessControl", "CoordinatorService", "LazyRabbitCoordinator", "LazyRabbitWorker", "PostgresDriver", "RabbitMQDriver", "RedisDriver",
            "DriverSupport", "LocalServers", "WorkflowJSON", "WorkflowDrivers",
        ]),
        .executableTarget(name: "lazyrabbit", dependencies: [
            "Benchmarks", "FaultInjection", "LazyRabbitServer", "CoordinatorAPI",
            "WorkflowJSON", "WorkflowDSL", "WorkflowEngine", "WorkflowDrivers", "WorkflowProtocol", "EmbeddedRuntime",
            "LazyRabbitWorker", "LazyRabbitCoordinator", "CoordinatorService", "SQLiteDriver", "DriverSupport", "PostgresDriver",
            "RabbitMQDriver", "RedisDriver", "AccessControl", "Intelligence",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The Swift SDK's example: a custom worker (examples/custom-worker).
        .executableTarget(name: "custom-worker", dependencies: ["LazyRabbitWorker", "WorkflowJSON"], path: "examples/custom-worker"),

        // Tests mirror the targets.
        .target(name: "LocalServers", dependencies: ["WorkflowJSON"]),
        .testTarget(name: "WorkflowJSONTests", dependencies: ["WorkflowJSON"]),
        .testTarget(name: "IntelligenceTests", dependencies: ["Intelligence", "LocalServers", "WorkflowDSL", "WorkflowJSON", "WorkflowProtocol"]),
        .testTarget(name: "WorkflowExpressionsTests", dependencies: ["WorkflowExpressions", "WorkflowJSON"]),
        .testTarget(name: "WorkflowDSLTests", dependencies: ["WorkflowDSL", "WorkflowJSON"]),
        .testTarget(name: "WorkflowProtocolTests", dependencies: ["WorkflowProtocol", "WorkflowDSL", "WorkflowJSON"]),
        .testTarget(name: "WorkflowEngineTests", dependencies: ["WorkflowEngine", "WorkflowDSL", "WorkflowJSON", "WorkflowProtocol"]),
        .testTarget(name: "WorkflowDriversTests", dependencies: [
            "WorkflowDrivers", "SQLiteDriver", "PostgresDriver", "WorkflowProtocol", "WorkflowJSON", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "AccessControlTests", dependencies: [
            "AccessControl", "WorkflowDrivers", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "DriverSupportTests", dependencies: ["DriverSupport"]),
        .testTarget(name: "LazyRabbitCoordinatorTests", dependencies: [
            "LazyRabbitCoordinator", "CoordinatorService", "LazyRabbitWorker", "RedisDriver", "DriverSupport", "WorkflowDSL", "CurlDriver", "PostgresDriver", "RabbitMQDriver", "WorkflowDrivers", "WorkflowProtocol", "WorkflowJSON",
            "WorkflowEngine",
        ]),
        .testTarget(name: "CoordinatorAPITests", dependencies: [
            "CoordinatorAPI", "AccessControl", "LazyRabbitCoordinator", "WorkflowDrivers", "WorkflowProtocol", "WorkflowJSON", "WorkflowEngine", "LocalServers",
            "Intelligence",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "RabbitMQDriverTests", dependencies: ["RabbitMQDriver"]),
        .testTarget(name: "RedisDriverTests", dependencies: ["RedisDriver", "WorkflowDrivers"]),
        .testTarget(name: "PostgresDriverTests", dependencies: ["PostgresDriver", "WorkflowDrivers", "WorkflowProtocol", "WorkflowJSON"]),
        .testTarget(name: "LazyRabbitWorkerTests", dependencies: ["Intelligence", "LazyRabbitWorker", "RabbitMQDriver", "CurlDriver", "LocalServers", "WorkflowDSL", "WorkflowProtocol", "WorkflowJSON"]),
        .testTarget(name: "WorkerServiceTests", dependencies: [
            "LazyRabbitWorker", "RabbitMQDriver", "RedisDriver", "WorkflowDrivers", "WorkflowProtocol", "WorkflowDSL", "WorkflowJSON", "Intelligence",
            "LocalServers",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "LocalServers", "AccessControl", "PostgresDriver", "RedisDriver", "WorkflowJSON", "LazyRabbitWorker", "RabbitMQDriver", "WorkflowDSL", "WorkflowProtocol",
        ]),
        .testTarget(name: "CurlDriverTests", dependencies: ["CurlDriver", "LocalServers", "WorkflowJSON"]),
        // Runs the built binary's fault suite (quick faults only) against the local servers.
        .testTarget(name: "FaultInjectionTests"),
    ]
)

// Swift 6 language mode and the upcoming features, applied to every target in one place.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
