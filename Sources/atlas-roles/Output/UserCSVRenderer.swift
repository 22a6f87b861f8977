import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders users as RFC 4180 CSV: `id,username,first_name,last_name,status,org_roles,last_auth,created_at,team_ids`,
/// roles and teams separated by `;`, dates in ISO 8601 (UTC; empty when there is none).
///
/// Server text is sanitized (control characters and bidi overrides have no business in a spreadsheet
/// cell) and a cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so a hostile name cannot run
/// as a formula when the file is opened (OWASP's advice on CSV injection).
enum UserCSVRenderer {
    static let header = [
        "id", "username", "first_name", "last_name", "status", "org_roles", "last_auth", "created_at", "team_ids",
    ]

    static func render(_ users: [OrgUser]) -> String {
        ChunkedWriter.collect { write(users, to: &$0) }
    }

    /// Writes the header and one line per user, as they come.
    static func write(_ users: some Sequence<OrgUser>, to writer: inout ChunkedWriter) {
        writer.write(line(header))
        for user in users {
            writer.write(
                line([
                    user.id, user.username, user.firstName ?? "", user.lastName ?? "", user.status.rawValue,
                    user.orgRoles.sorted().map(\.rawValue).joined(separator: ";"),
                    user.lastAuth.map(ISO8601Text.string) ?? "", user.createdAt.map(ISO8601Text.string) ?? "",
                    user.teamIds.joined(separator: ";"),
                ]))
        }
    }

    static func line(_ fields: [String]) -> String {
        fields.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ raw: String) -> String {
        var text = SafeText.sanitized(raw)
        // A spreadsheet skips leading blanks (a tab or CR, shown as spaces by now) before it looks for
        // a formula: so does the guard.
        if let first = text.first(where: { !$0.isWhitespace }), "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
