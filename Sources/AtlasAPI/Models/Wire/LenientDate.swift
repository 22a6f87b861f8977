#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An ISO 8601 timestamp decoded leniently: with or without fractional seconds, and nil (not an error)
/// when the server sends something unreadable, so one odd date never fails a whole page of users.
struct LenientDate: Decodable, Sendable {
    let date: Date?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        date = (try? container.decode(String.self)).flatMap(Self.parse)
    }

    /// Parses `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123Z` and offsets like `+02:00`.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: false).parse(text) { return date }
        return nil
    }
}

extension KeyedDecodingContainer {
    /// The date at `key`, or nil when it is missing, null or unreadable.
    func lenientDate(_ key: Key) -> Date? {
        (try? decodeIfPresent(LenientDate.self, forKey: key))??.date
    }
}
