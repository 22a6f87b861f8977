import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A swift-log handler that writes redacted lines to a ``LogFile``, never to the terminal.
///
/// One line per event, in UTC: `2026-11-29T01:41:17.567Z info atlas-roles.client: message key=value`.
struct FileLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let file: LogFile
    private let redactor: LogRedactor

    init(label: String, file: LogFile, level: Logger.Level, redactor: LogRedactor) {
        self.label = label
        self.file = file
        self.logLevel = level
        self.redactor = redactor
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        // One event is one line: a newline inside a message would let it forge the next entry.
        // By scalar, not by Character: "\r\n" is one Character, equal to neither "\r" nor "\n".
        var flattened = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\n": flattened.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": flattened.append(contentsOf: #"\r"#.unicodeScalars)
            default: flattened.append(scalar)
            }
        }
        file.write(line: redactor.redact(String(flattened)))
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
