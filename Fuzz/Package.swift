// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for LazyRabbit's untrusted-input surfaces: the workflow DSL loader, the
/// expression/template language and the JSON parser. Kept out of the root package so a normal
/// build never needs the fuzzer runtime; build and run with `scripts/fuzz` (see docs/fuzzing.md).
///
/// Each target is an executable whose entry point is `LLVMFuzzerTestOneInput`; it must be built with
/// `-Xswiftc -sanitize=fuzzer` (plus `-Xswiftc -parse-as-library`, since there is no `main`).
let package = Package(
    name: "LazyRabbitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LazyRabbit", path: ".."),
    ],
    targets: [
        .executableTarget(name: "FuzzDSL", dependencies: [
            .product(name: "WorkflowDSL", package: "LazyRabbit"),
        ]),
        .executableTarget(name: "FuzzExpressions", dependencies: [
            .product(name: "WorkflowExpressions", package: "LazyRabbit"),
        ]),
        .executableTarget(name: "FuzzJSON", dependencies: [
            .product(name: "WorkflowJSON", package: "LazyRabbit"),
        ]),
    ]
)
