import AtlasAPI

/// What `set` does to each user's roles: replace them, or add and remove some.
enum RoleChange: Hashable, Sendable {
    /// `--role R...`: the new set, whatever the user held.
    case replace(Set<OrgRole>)
    /// `--add R` / `--remove R`: edits relative to what the server holds.
    case modify(add: Set<OrgRole>, remove: Set<OrgRole>)

    func target(from base: Set<OrgRole>) -> Set<OrgRole> {
        switch self {
        case .replace(let roles): roles
        case .modify(let add, let remove): base.union(add).subtracting(remove)
        }
    }
}
