import RoleEditor

/// Where each column of the user list goes at a given width.
///
/// Every row starts with three one-cell marks (cursor `›`, bulk mark `●`, pending edit `*`) and a
/// space. Then the email, which is the user's identity and so is served first; from 60 columns a
/// NAME/STATUS column; from 100 columns, or at any width while the list is sorted by last login, a
/// LAST LOGIN column; the roles; from 140 columns the last apply's outcome.
///
/// The status (PENDING, EXPIRED, REJECTED) shares the name's column instead of owning one: it is empty
/// for most users, and invitations, which carry it, have no name yet, so a column of its own would be
/// blank on nearly every row while the email next to it is cut. Below 60 columns, with no name column,
/// it takes the end of the email's column on the rows that have one.
///
/// The login age sits between the name and the roles, next to the identity it qualifies rather than
/// after a roles column that is mostly blank. Below 100 columns it is shown only when the list is
/// sorted by it: the person asked about staleness, so the ages are worth a narrower name.
///
/// Widths are handed out in rounds (``allocationSteps``): each column first gets what it needs to
/// be usable, then the email grows to a typical address, then roles and name grow to readable widths,
/// and whatever is left goes to the roles, which can use it for full role names (or, once the roles
/// are wide enough, to the last apply's outcome). At 80 columns that is email 34 (nine in ten
/// generated addresses whole), name 14, roles 26; sorted by last login, email 34, name 8, login 5,
/// roles 26.
struct UserColumns: Hashable {
    struct Column: Hashable {
        var x: Int
        var width: Int
    }

    /// Columns of the cursor, mark and pending cells.
    static let cursorX = 0
    static let markX = 1
    static let pendingX = 2
    static let gutter = 4
    /// From this width the NAME/STATUS column is shown.
    static let nameFromWidth = 60
    /// From this width the LAST LOGIN column is shown whatever the sort.
    static let lastLoginFromWidth = 100
    /// From this width the LAST APPLY column is shown.
    static let outcomeFromWidth = 140
    static let outcomeWidth = 30

    var email: Column
    /// Name, and the membership status when it is not ACTIVE.
    var name: Column?
    /// The login age (``LoginText``), when shown.
    var lastLogin: Column?
    var roles: Column
    var outcome: Column?
    /// Where the row's content ends (the selection highlight stops here).
    var contentEnd: Int

    private enum Part { case email, name, lastLogin, roles, outcome }

    /// The growth rounds: (column, width it grows up to). Name gives way first, then roles, email last.
    private static func allocationSteps(withName: Bool, withLastLogin: Bool, sortedByLogin: Bool) -> [(Part, Int)] {
        // 34 and 44 are the 90th percentile and the longest addresses the sandbox generates; 26 fits
        // "Member, Billing Read Only", the longest common set. Narrow, 9 fits "Read Only" and two
        // abbreviations ("MEM BRO"). With a name, 8 fits every status label ("REJECTED") and 13
        // fits "Billing Admin" and three abbreviations.
        var steps: [(Part, Int)] =
            withName
            ? [(.name, 8), (.roles, 13), (.email, 34), (.roles, 26), (.name, 20), (.email, 44), (.name, 30)]
            : [(.roles, 9), (.email, 34), (.roles, 26), (.email, 44)]
        if withLastLogin {
            // Served first, with room for every age: the column only shows where there is room for
            // it (100 columns) or where the list is sorted by it, and then the ages are what was asked
            // for. Once the rest are at readable widths it grows to fit "LAST LOGIN", not just "LOGIN"
            // ("LAST LOGIN ▲" when sorted by it; until then the arrow shortens the title: "LOG ▲").
            steps.insert((.lastLogin, LoginText.width), at: 0)
            steps.append((.lastLogin, TextWidth.width(UserListPane.lastLoginTitle) + (sortedByLogin ? 2 : 0)))
        }
        return steps
    }

    /// The columns at `width` for a list sorted by `sort` (which decides whether login ages show below
    /// ``lastLoginFromWidth``).
    init(width: Int, sort: SortOrder) {
        let withName = width >= Self.nameFromWidth
        let withLastLogin = width >= Self.lastLoginFromWidth || sort == .lastLogin
        let outcomeWidth = width >= Self.outcomeFromWidth ? Self.outcomeWidth : 0
        // One cell between neighbouring columns: email and roles always, then each optional one.
        let separators = 1 + (withName ? 1 : 0) + (withLastLogin ? 1 : 0) + (outcomeWidth > 0 ? 1 : 0)
        var rest = max(0, width - Self.gutter - outcomeWidth - separators)
        var widths: [Part: Int] = [.email: 0, .name: 0, .lastLogin: 0, .roles: 0, .outcome: outcomeWidth]
        var steps = Self.allocationSteps(
            withName: withName, withLastLogin: withLastLogin, sortedByLogin: sort == .lastLogin)
        // Next to an outcome column, roles stop at a width that shows most sets in full and the
        // outcome (an error code and its detail) takes the rest; without one, roles take it all.
        steps.append(outcomeWidth > 0 ? (.roles, 48) : (.roles, Int.max))
        if outcomeWidth > 0 { steps.append((.outcome, Int.max)) }
        for (part, target) in steps {
            let grant = min(rest, max(0, target - widths[part]!))
            widths[part]! += grant
            rest -= grant
        }

        var x = Self.gutter
        email = Column(x: x, width: widths[.email]!)
        x += widths[.email]! + 1
        if withName {
            name = Column(x: x, width: widths[.name]!)
            x += widths[.name]! + 1
        }
        if withLastLogin {
            lastLogin = Column(x: x, width: widths[.lastLogin]!)
            x += widths[.lastLogin]! + 1
        }
        roles = Column(x: x, width: widths[.roles]!)
        x += widths[.roles]! + 1
        if outcomeWidth > 0 {
            outcome = Column(x: x, width: widths[.outcome]!)
            x += widths[.outcome]! + 1
        }
        contentEnd = min(width, x - 1)
    }
}
