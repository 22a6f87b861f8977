import AtlasAPI

/// Why an address cannot be invited, checked before anything is sent: by the invite form on screen
/// and by `atlas-roles invite`.
public enum InvitationCheck {
    public struct Problem: Hashable, Sendable {
        public var address: String
        public var reason: String
    }

    /// The problems of inviting `addresses` into an organization whose users are `users`: an address
    /// that is not one, or one already ACTIVE or PENDING there (an expired or rejected invitation is
    /// replaced by a new one, as Atlas does).
    public static func problems(_ addresses: [String], among users: UserStore) -> [Problem] {
        var problems: [Problem] = []
        var wanted: [String: String] = [:]
        for address in addresses {
            if isEmailAddress(address) {
                wanted[address.lowercased()] = address
            } else {
                problems.append(Problem(address: address, reason: "not an email address"))
            }
        }
        guard !wanted.isEmpty else { return problems }
        for index in users.indices {
            let status = users.status(at: index)
            guard status == .active || status == .pending,
                let address = wanted[users[index].username.lowercased()]
            else { continue }
            problems.append(
                Problem(
                    address: address,
                    reason: status == .active ? "already a member of the organization" : "already invited (PENDING)"))
        }
        return problems.sorted { $0.address < $1.address }
    }

    /// One `@` between a non-empty local part and a dotted domain, without spaces or control characters.
    public static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.utf8.count <= 254 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}
