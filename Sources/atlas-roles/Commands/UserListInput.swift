import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The users a `-` argument reads from standard input, so that one command's output is the next one's
/// list of users: `atlas-roles list -o csv --search 'login:>90d' | atlas-roles set --remove owner --yes -`.
///
/// Two forms are read:
/// - one email or 24-hex user id per line; blank lines and lines starting with `#` are skipped;
/// - CSV with a header row naming an `email` or `username` column (what `list -o csv` prints): that
///   column of every record, with the guard `list` puts before a cell a spreadsheet would run as a
///   formula taken off again.
///
/// What is read is bounded (``maxBytes``, ``maxLines``): a runaway producer ends in an error, not in a
/// command holding gigabytes or changing an unbounded number of users.
///
/// ```swift
/// try UserListInput.references(in: "# leavers\nana@example.com\n\n5f1d00000000000000000001\n")
/// // ["ana@example.com", "5f1d00000000000000000001"]
/// ```
enum UserListInput {
    /// The argument that stands for standard input.
    static let marker = "-"
    /// Enough for `list -o csv` of a 100,000-user organization with long names and many teams.
    static let maxBytes = 32 << 20
    /// More lines than the largest organization has users, with room for comments.
    static let maxLines = 200_000

    /// `arguments` with a `-` replaced by the users read from `console`'s standard input.
    static func expand(_ arguments: [String], console: any Console) throws(CommandFailure) -> [String] {
        guard let position = arguments.firstIndex(of: marker) else { return arguments }
        guard arguments.filter({ $0 == marker }).count == 1 else {
            throw CommandFailure(.usageOrConfiguration, "error: give - (standard input) once")
        }
        let bytes: [UInt8]
        do {
            bytes = try console.readInput(limit: maxBytes + 1)
        } catch {
            throw CommandFailure(.usageOrConfiguration, "error: cannot read the users from standard input: \(error)")
        }
        guard bytes.count <= maxBytes else {
            throw CommandFailure(
                .usageOrConfiguration,
                "error: standard input (-) holds more than \(maxBytes >> 20) MiB; nothing was read: "
                    + "pass the users in smaller batches")
        }
        var result = arguments
        result.replaceSubrange(position...position, with: try references(in: String(decoding: bytes, as: UTF8.self)))
        return result
    }

    /// The emails and ids `text` names, in order.
    static func references(in text: String) throws(CommandFailure) -> [String] {
        // "\r\n" is one Character in Swift, not a "\r" before a "\n".
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count <= maxLines else {
            throw CommandFailure(
                .usageOrConfiguration,
                "error: standard input (-) holds more than \(maxLines) lines; nothing was read: "
                    + "pass the users in smaller batches")
        }
        if var first = lines.first, first.hasPrefix("\u{FEFF}") {
            // A byte order mark, as spreadsheets save CSV.
            first.removeFirst()
            lines[0] = first
        }
        guard
            let headerLine = lines.firstIndex(where: { !isSkipped($0) }),
            let column = emailColumn(CSVRecords.fields(of: String(lines[headerLine])))
        else {
            return try plainReferences(lines)
        }
        let body = lines[(headerLine + 1)...].joined(separator: "\n")
        var references: [String] = []
        for record in try CSVRecords.parse(body, firstLine: headerLine + 2) {
            guard !record.fields.allSatisfy(\.isEmpty) else { continue }
            guard column < record.fields.count else {
                throw failure(line: record.line, "the record has no field \(column + 1) (the email column)")
            }
            let email = unguarded(record.fields[column].trimmingWhitespace())
            guard !email.isEmpty else { throw failure(line: record.line, "the email column is empty") }
            references.append(email)
        }
        return references
    }

    private static func plainReferences(_ lines: [Substring]) throws(CommandFailure) -> [String] {
        var references: [String] = []
        for (number, line) in zip(1..., lines) where !isSkipped(line) {
            let reference = String(line).trimmingWhitespace()
            guard !reference.contains(where: \.isWhitespace), !reference.contains(","),
                reference.contains("@") || ConfigurationResolver.isAtlasId(reference)
            else {
                throw failure(
                    line: number,
                    "'\(SafeText.sanitized(reference))' is not one email or 24-hex user id "
                        + "(CSV needs its header row, as list -o csv prints it)")
            }
            references.append(reference)
        }
        return references
    }

    private static func isSkipped(_ line: Substring) -> Bool {
        let text = String(line).trimmingWhitespace()
        return text.isEmpty || text.hasPrefix("#")
    }

    /// The index of the email column when `fields` is a header row.
    private static func emailColumn(_ fields: [String]) -> Int? {
        let names = fields.map { $0.trimmingWhitespace().lowercased() }
        return names.firstIndex(of: "email") ?? names.firstIndex(of: "username")
    }

    /// A cell without the `'` that `list -o csv` puts before text a spreadsheet would run as a formula.
    private static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first(where: { !$0.isWhitespace }),
            "=+-@".contains(next)
        else { return cell }
        return String(cell.dropFirst())
    }

    private static func failure(line: Int, _ problem: String) -> CommandFailure {
        CommandFailure(
            .usageOrConfiguration, "error: standard input (-), line \(line): \(problem)")
    }
}

/// RFC 4180 records: fields split on commas, a quoted field may hold commas, doubled quotes and line breaks.
enum CSVRecords {
    struct Record: Equatable {
        /// The line the record starts on.
        var line: Int
        var fields: [String]
    }

    /// The fields of one line (a quoted field's line breaks are not expected here).
    static func fields(of line: String) -> [String] {
        (try? parse(line, firstLine: 1).first?.fields) ?? []
    }

    /// Every record of `text`, numbering lines from `firstLine`.
    static func parse(_ text: String, firstLine: Int) throws(CommandFailure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = firstLine
        var recordLine = firstLine
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character?
        func next() -> Character? {
            if let character = pending {
                pending = nil
                return character
            }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                switch character {
                case "\"":
                    let following = next()
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = following
                    }
                case "\n", "\r\n":
                    line += 1
                    field.append("\n")
                default: field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n":
                fields.append(field)
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if quoted {
            throw CommandFailure(
                .usageOrConfiguration,
                "error: standard input (-), line \(recordLine): a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
