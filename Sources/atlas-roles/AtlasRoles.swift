import ArgumentParser

/// The `atlas-roles` command; for now it only runs the local Atlas sandbox.
@main
struct AtlasRoles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas-roles",
        abstract: "Administer the organization roles of MongoDB Atlas users.",
        version: "0.1.0",
        subcommands: [SandboxCommand.self]
    )
}
