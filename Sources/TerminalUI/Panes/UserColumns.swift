/// Where each column of the user list goes at a given width.
///
/// Every row starts with three one-cell marks (cursor `›`, bulk mark `●`, pending edit `*`) and a
/// space. Then: narrow terminals (< 60) show email and roles; from 60 the status; from 80 the name;
/// from 140 the last apply's outcome. Email and name stop growing at readable widths and the roles
/// column takes the rest, so a wide terminal shows full role names instead of abbreviations.
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

    var email: Column
    var name: Column?
    var roles: Column
    var status: Column?
    var outcome: Column?
    /// Where the row's content ends (the selection highlight stops here).
    var contentEnd: Int

    init(width: Int) {
        let available = max(0, width - Self.gutter)
        var statusWidth = 0
        var nameWidth = 0
        var outcomeWidth = 0
        if width >= 60 { statusWidth = 8 }
        if width >= 140 { outcomeWidth = 30 }
        let separators = [statusWidth, outcomeWidth].filter { $0 > 0 }.count
        var rest = available - statusWidth - outcomeWidth - separators
        var emailWidth: Int
        var rolesWidth: Int
        if width >= 80 {
            emailWidth = min(44, rest * 38 / 100)
            nameWidth = min(30, rest * 24 / 100)
            rest -= 2
            rolesWidth = rest - emailWidth - nameWidth
        } else {
            emailWidth = rest * 55 / 100
            rest -= 1
            rolesWidth = rest - emailWidth
        }
        var x = Self.gutter
        email = Column(x: x, width: emailWidth)
        x += emailWidth + 1
        if nameWidth > 0 {
            name = Column(x: x, width: nameWidth)
            x += nameWidth + 1
        }
        roles = Column(x: x, width: max(0, rolesWidth))
        x += max(0, rolesWidth) + 1
        if statusWidth > 0 {
            status = Column(x: x, width: statusWidth)
            x += statusWidth + 1
        }
        if outcomeWidth > 0 {
            outcome = Column(x: x, width: outcomeWidth)
            x += outcomeWidth + 1
        }
        contentEnd = min(width, x - 1)
    }
}
