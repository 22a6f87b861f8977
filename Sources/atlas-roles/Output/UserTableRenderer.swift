import AtlasAPI
import TerminalUI

/// Renders users as aligned columns: `USERNAME  NAME  STATUS  ORG ROLES  ID`.
///
/// Every server string goes through ``SafeText/sanitized(_:keepNewlines:)`` (a name holding an escape
/// sequence must not drive the terminal), and widths are measured in terminal cells with the same
/// ``TextWidth`` the screen uses, so CJK and emoji names keep the columns straight.
enum UserTableRenderer {
    /// Columns wider than this are cut with an ellipsis, so one long name does not push the roles off screen.
    static let maximumWidths = (username: 40, name: 30)

    static func render(_ users: [OrgUser]) -> String {
        TerminalLocale.prepare()
        let header = ["USERNAME", "NAME", "STATUS", "ORG ROLES", "ID"]
        let rows: [[String]] =
            users.map { user in
                [
                    SafeText.sanitized(user.username),
                    SafeText.sanitized(user.displayName ?? "-"),
                    SafeText.sanitized(user.status.rawValue),
                    user.orgRoles.sorted().map { SafeText.sanitized($0.rawValue) }.joined(separator: ","),
                    SafeText.sanitized(user.id),
                ]
            }
        let limits = [maximumWidths.username, maximumWidths.name, Int.max, Int.max, Int.max]
        var widths = header.map(TextWidth.width)
        for row in rows {
            for (column, cell) in row.enumerated() {
                widths[column] = min(limits[column], max(widths[column], TextWidth.width(cell)))
            }
        }
        var output = ""
        for row in [header] + rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                let isLast = column == row.count - 1
                line += isLast ? cell : TextWidth.fitted(cell, to: widths[column]) + "  "
            }
            output += line + "\n"
        }
        return output
    }
}
