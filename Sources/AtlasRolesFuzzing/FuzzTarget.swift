import AtlasAPI
import RoleEditor
import RoleEditorRuntime
import TOMLKit
import TerminalUI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the fuzzers feed arbitrary bytes to: every reader of text that comes from a server, a file
/// another user may have written, or a keyboard. Each must return (or throw) on any input: a crash, a
/// hang or an unbounded allocation found here is a bug, and its input becomes a test.
///
/// `make fuzz` runs each under libFuzzer (`atlas-roles-fuzz`, built with `-sanitize=fuzzer,address`);
/// `make test` replays the seed corpus in `Fuzz/corpus/<target>` through the same functions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A page of users in both API versions (the client's decoders).
    case usersPage = "users-page"
    /// An error answer: envelope or not, worded as the screen and `set` print it.
    case errorEnvelope = "error-envelope"
    /// The Atlas CLI's `config.toml` as TOMLKit parses it.
    case configTOML = "config-toml"
    /// A draft file.
    case draft
    /// A journal file.
    case journal
    /// A filter typed or pasted after `/`.
    case filter
    /// Bytes from the terminal, through the key decoder and the key table.
    case keys
    /// Text on its way to the terminal: the sanitizer and the width computation.
    case text

    /// A few users of every kind for the filter to match: accents, CJK, an invitation, several roles.
    static let filterUsers = UserStore([
        OrgUser(
            id: "5f0000000000000000000001", username: "zoë@example.com", firstName: "Zoë", lastName: "Ångström",
            orgRoles: [.owner]),
        OrgUser(
            id: "5f0000000000000000000002", username: "taro@example.jp", firstName: "太郎", lastName: "山田",
            orgRoles: [.member, .billingAdmin]),
        OrgUser(
            id: "5f0000000000000000000003", username: "invitee@example.com", status: .pending, orgRoles: [.readOnly]),
    ])

    /// Runs this target on one input.
    public func run(_ data: Data) {
        switch self {
        case .usersPage:
            let orgId = "5f0000000000000000000001"
            for version in [APIVersion.v20250219, .v20230101] {
                // The byte reader must read what JSONDecoder reads, or leave the body to it.
                if let disagreement = ResponseDecoding.usersPageDisagreement(data, version: version, orgId: orgId) {
                    fatalError(disagreement)
                }
                guard let page = try? ResponseDecoding.usersPage(data, version: version, orgId: orgId) else { continue }
                for user in page.users { _ = SafeText.sanitized(user.username + (user.displayName ?? "")) }
            }
        case .errorEnvelope:
            let error = ResponseDecoding.error(status: 400, body: data)
            _ = OutcomeText.errorLines(error)
            _ = error.remedy.map(RemedyText.sentence)
        case .configTOML:
            // What the config reader does with a file: parse, then read each profile's strings. (Not
            // converting back to TOML text: TOMLKit's conversion leaks, which the fuzzer found; the
            // program never converts.)
            guard let table = try? TOMLTable(string: String(decoding: data, as: UTF8.self)) else { return }
            for name in table.keys {
                guard let profile = table[name]?.table else { continue }
                for key in profile.keys { _ = profile[key]?.string ?? "\(profile[key]?.type as Any)" }
            }
        case .draft:
            _ = try? StateStore.decodeDraft(data)
        case .journal:
            _ = StateStore.decodeJournal(data)
        case .filter:
            let query = FilterQuery(String(decoding: data, as: UTF8.self))
            _ = Self.filterUsers.sortedRows(matching: query, in: .email)
        case .keys:
            let decoder = KeyDecoder()
            var inputs = data.map { RawInput.character(UInt32($0)) }[...]
            while let first = inputs.popFirst() {
                _ = decoder.decode(first) { inputs.popFirst() }
            }
        case .text:
            let text = String(decoding: data, as: UTF8.self)
            let safe = SafeText.sanitized(text, keepNewlines: true)
            _ = TextWidth.width(safe)
            _ = TextWidth.truncated(safe, to: Int(data.first ?? 10))
        }
    }
}
