// swift-tools-version:6.1
// atlas-roles: a terminal program for administering the organization roles of MongoDB Atlas users.
// The module layout follows DESIGN.md: arrows point one way,
// executable → TerminalUI → RoleEditor → AtlasAPI → CCurl; AtlasSandbox shares nothing with the client.
import PackageDescription

/// One set of settings for every target, so no module drifts to another language mode.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6)
]

/// For targets that depend on swift-crypto, which imports full Foundation: without member import
/// visibility its Foundation extensions (`trimmingCharacters`, `contains`, ...) resolve here too, and
/// one such call links full Foundation and ICU's data (about 40 MB) into the static binary.
let foundationEssentialsOnly: [SwiftSetting] = swiftSettings + [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "atlas-roles",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atlas-roles", targets: ["atlas-roles"]),
        .executable(name: "atlas-roles-sandbox", targets: ["atlas-roles-sandbox"]),
        .library(name: "AtlasSandbox", targets: ["AtlasSandbox"]),
        .library(name: "AtlasAPI", targets: ["AtlasAPI"]),
    ],
    // EmbeddedSandbox (the default, for development builds and the tests): `--demo` starts the sandbox in
    // this process. `make dist` builds without it, so the admin's binary carries no server (Hummingbird,
    // NIO, BoringSSL: more than a third of its size) and `--demo` starts the atlas-roles-sandbox program
    // installed beside it.
    traits: [
        .trait(name: "EmbeddedSandbox", description: "Link the demo sandbox into atlas-roles itself."),
        .default(enabledTraits: ["EmbeddedSandbox"]),
    ],
    dependencies: [
        // No traits: the default FullFoundation trait links full Foundation, and with it ICU's data (about
        // 40 MB of the static binary), for date formats the sandbox does not use; ConfigurationSupport
        // brings swift-configuration, which it does not use either.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // System libraries: module maps plus shims for what Swift cannot import directly.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // No pkgConfig: ncursesw.pc only adds -D_DEFAULT_SOURCE/-D_XOPEN_SOURCE=600, which SwiftPM
        // refuses with a warning; the module map links ncursesw and tinfo itself.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),

        // The system's OpenSSL libcrypto (libcurl's own), for the hashes of HTTP Digest answers.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // prctl(2) and friends, which Swift cannot call directly (variadic).
        .systemLibrary(name: "CProcess"),

        // The client: API service, view-model, screen.
        .target(
            name: "AtlasAPI",
            dependencies: ["CCurl", "CLibCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RoleEditor",
            dependencies: ["AtlasAPI"],
            swiftSettings: swiftSettings
        ),
        // The runtime beside the pure core (as NIOPosix beside NIOCore): the effect runner, the draft and
        // journal files, the directories, the scripted apply.
        .target(
            name: "RoleEditorRuntime",
            dependencies: ["RoleEditor", "AtlasAPI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["RoleEditor", "CNcursesw"],
            swiftSettings: swiftSettings
        ),

        // The other side of the wire.
        .target(
            name: "AtlasSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: foundationEssentialsOnly
        ),

        .executableTarget(
            name: "atlas-roles",
            dependencies: [
                "AtlasAPI", "RoleEditor", "RoleEditorRuntime", "TerminalUI", "CProcess", "BuildInfo",
                .target(name: "AtlasSandbox", condition: .when(traits: ["EmbeddedSandbox"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: foundationEssentialsOnly
        ),
        // The sandbox as a program of its own: what `atlas-roles sandbox` runs, and `--demo` when
        // atlas-roles is built without EmbeddedSandbox.
        .executableTarget(
            name: "atlas-roles-sandbox",
            dependencies: [
                "AtlasSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: foundationEssentialsOnly
        ),

        // Fuzzing: the readers of untrusted text as targets, and a thin executable that libFuzzer drives
        // (`make fuzz`) or that replays inputs.
        .target(
            name: "AtlasRolesFuzzing",
            dependencies: [
                "AtlasAPI", "RoleEditor", "RoleEditorRuntime", "TerminalUI",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "atlas-roles-fuzz",
            dependencies: ["AtlasRolesFuzzing", "CProcess"],
            swiftSettings: swiftSettings
        ),

        // Shared by the test targets only (as HummingbirdTesting): the fake service, fixtures, the serial
        // driver, `eventually`, temporary directories, the sandbox harness. Not a product: never shipped.
        .target(
            name: "AtlasRolesTesting",
            dependencies: ["AtlasAPI", "RoleEditor", "RoleEditorRuntime", "AtlasSandbox"],
            path: "Tests/AtlasRolesTesting",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "AtlasSandboxTests",
            dependencies: ["AtlasSandbox", "AtlasRolesTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AtlasAPITests",
            dependencies: ["AtlasAPI", "AtlasSandbox", "AtlasRolesTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RoleEditorTests",
            dependencies: [
                "RoleEditor", "RoleEditorRuntime", "AtlasAPI", "AtlasSandbox", "AtlasRolesTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AtlasRolesCommandTests",
            dependencies: [
                "atlas-roles", "AtlasSandbox", "AtlasAPI", "RoleEditorRuntime", "AtlasRolesTesting",
                "AtlasRolesFuzzing",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI", "RoleEditor", "AtlasAPI"],
            // Golden frames are read from the source tree through #filePath, not bundled.
            exclude: ["Goldens"],
            swiftSettings: swiftSettings
        ),

        // Shipping: what `--version` reports, the version stamped from git before every build (the
        // VersionStamp plugin runs scripts/version.sh) and the libcurl and ncurses found at run time.
        .target(
            name: "BuildInfo",
            dependencies: ["CCurl", "CNcursesw"],
            swiftSettings: swiftSettings,
            plugins: ["VersionStamp"]
        ),
        .plugin(name: "VersionStamp", capability: .buildTool()),
    ]
)
