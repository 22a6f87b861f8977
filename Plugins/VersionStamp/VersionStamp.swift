import Foundation
import PackagePlugin

/// Stamps the version (`git describe`, else the VERSION file) into the target before every build, so
/// plain `swift build`, `swift test` and `make dist` all print the same `--version`.
///
/// A prebuild command, because the version depends on the git state, which no build input records;
/// `scripts/version.sh --swift` rewrites the file only when the version changed, so an unchanged
/// version recompiles nothing.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let script = context.package.directoryURL.appending(path: "scripts/version.sh")
        return [
            .prebuildCommand(
                displayName: "Stamping the version into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    script.path(percentEncoded: false), "--swift",
                    outputDirectory.appending(path: "BuildStamp.swift").path(percentEncoded: false),
                ],
                outputFilesDirectory: outputDirectory)
        ]
    }
}
