/// The resource versions this sandbox serves, chosen by the `Accept` media type.
enum APIVersion: String, Sendable, CaseIterable {
    case v20230101 = "2023-01-01"
    case v20250219 = "2025-02-19"
    case v20250312 = "2025-03-12"

    /// `application/vnd.atlas.<date>+json`.
    var mediaType: String { "application/vnd.atlas.\(rawValue)+json" }

    /// What success responses carry in `Content-Type`.
    var contentType: String { "\(mediaType);charset=utf-8" }

    /// Dates of every `application/vnd.atlas.<date>+json` the Accept header names, in order.
    static func requestedDates(accept: String?) -> [String] {
        guard let accept else { return [] }
        return accept.split(separator: ",").compactMap { range in
            let mediaType = range.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
            let prefix = "application/vnd.atlas."
            let suffix = "+json"
            guard mediaType.hasPrefix(prefix), mediaType.hasSuffix(suffix) else { return nil }
            return String(mediaType.dropFirst(prefix.count).dropLast(suffix.count))
        }
    }

    /// The first requested version that `supported` contains; nil means 406.
    static func negotiate(accept: String?, supported: [APIVersion]) -> APIVersion? {
        for date in requestedDates(accept: accept) {
            if let version = APIVersion(rawValue: date), supported.contains(version) { return version }
        }
        return nil
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
