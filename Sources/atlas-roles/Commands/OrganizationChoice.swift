import AtlasAPI
import Logging
import RoleEditor

/// The organization a reading command works on when none is configured, found as the screen's picker
/// finds it (``OrgPickerState/choices(_:)``): the only organization the key sees is taken, as the screen
/// skips a picker with one line; with several (or none) there is no one to ask, so their ids and names
/// are printed for the next run's `--org`, and the command stops with a usage error (exit 2).
enum OrganizationChoice {
    static func resolve(
        _ configuration: ResolvedConfiguration, service: any AtlasService, context: CommandContext
    ) async throws -> String {
        if let org = configuration.orgId { return org.value }
        let choices = OrgPickerState.choices(try await service.listOrganizations())
        if choices.count == 1 {
            context.logger.info("the only organization of the key", metadata: ["org": "\(choices[0].id)"])
            return choices[0].id
        }
        let env = AtlasCLIEnvironment(variables: context.environment)
        let how =
            "pass --org ID, set \(env.name(for: "org_id")), or set org_id in profile '\(configuration.profile.value)'"
        guard !choices.isEmpty else {
            throw CommandFailure(.usageOrConfiguration, "error: no organization given, and this key sees none")
        }
        let lines = choices.map { "  \(SafeText.sanitized($0.id))  \(SafeText.sanitized($0.name))\n" }.joined()
        throw CommandFailure(
            .usageOrConfiguration,
            "error: no organization given, and this key sees \(choices.count); \(how) with one of:\n"
                + lines.dropLast())
    }
}
