import AtlasAPI
import RoleEditor
import TerminalUI

/// Renders users as aligned columns: `USERNAME  NAME  STATUS  ORG ROLES  ID`, the roles named as the
/// Atlas console and the screen name them (a person reads this table; JSON and CSV keep the API names).
///
/// Every server string goes through ``SafeText/sanitized(_:keepNewlines:)`` (a name holding an escape
/// sequence must not drive the terminal), and widths are measured in terminal cells with the same
/// ``TextWidth`` the screen uses, so CJK and emoji names keep the columns straight.
enum UserTableRenderer {
    /// Columns wider than this are cut with an ellipsis, so one long name does not push the roles off screen.
    static let maximumWidths = (username: 40, name: 30)

    static let header = ["USERNAME", "NAME", "STATUS", "ORG ROLES", "ID"]

    static func render(_ users: [OrgUser]) -> String {
        ChunkedWriter.collect { write(users, to: &$0) }
    }

    /// Writes the header and one line per user.
    ///
    /// Two passes over `users`: the first only measures the columns, the second renders the cells
    /// again, so no row is kept (keeping every row's cells cost more memory than the users themselves).
    static func write(_ users: some Collection<OrgUser>, to writer: inout ChunkedWriter) {
        TerminalLocale.prepare()
        let limits = [maximumWidths.username, maximumWidths.name, Int.max, Int.max, Int.max]
        var widths = header.map(TextWidth.width)
        for user in users {
            for (column, cell) in cells(user).enumerated() {
                widths[column] = min(limits[column], max(widths[column], TextWidth.width(cell)))
            }
        }
        writer.write(line(header, widths: widths))
        for user in users { writer.write(line(cells(user), widths: widths)) }
    }

    private static func cells(_ user: OrgUser) -> [String] {
        [
            SafeText.sanitized(user.username),
            SafeText.sanitized(user.displayName ?? "-"),
            SafeText.sanitized(user.status.rawValue),
            user.orgRoles.isEmpty ? "-" : user.orgRoles.sorted().map(RoleNaming.console.name).joined(separator: ", "),
            SafeText.sanitized(user.id),
        ]
    }

    private static func line(_ row: [String], widths: [Int]) -> String {
        var line = ""
        for (column, cell) in row.enumerated() {
            let isLast = column == row.count - 1
            line += isLast ? cell : TextWidth.fitted(cell, to: widths[column]) + "  "
        }
        return line + "\n"
    }
}
