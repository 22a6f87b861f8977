import Foundation

/// Parses the HTTP header values the client acts on: `Retry-After`, `Deprecation` and `Sunset`.
enum HTTPDates {
    /// An IMF-fixdate (`Thu, 01 Jul 2027 00:00:00 GMT`, one-digit days too), or an RFC 9745
    /// structured date (`@1740000000`).
    static func parse(_ value: String) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("@"), let seconds = Double(text.dropFirst()) {
            return Date(timeIntervalSince1970: seconds)
        }
        // A formatter per call: these headers are read at most once per call shape, and
        // DateFormatter is not safe to share between threads.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, d MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `Retry-After` as seconds to wait: delta-seconds or an HTTP date; nil when absent or unreadable.
    static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        return parse(value).map { max(0, $0.timeIntervalSince(now)) }
    }
}
