import ArgumentParser

/// The formats `atlas-roles list` can print.
enum UserListFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Aligned columns for people; server text sanitized for the terminal.
    case table
    /// A JSON array with the server's values unchanged, for `jq` and programs.
    case json
    /// RFC 4180 CSV for spreadsheets; sanitized and guarded against formula injection.
    case csv
}
