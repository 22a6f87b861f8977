import Foundation
import Testing

/// Golden text files: `Goldens/<name>.txt` next to this file, compared as text.
///
/// With `RECORD_GOLDENS=1` in the environment the test writes the file instead of comparing, and still
/// fails, saying so: a recorded golden is read and reviewed (`git diff`) before it is trusted.
///
/// ```sh
/// RECORD_GOLDENS=1 swift test --skip-build --filter RenderTests   # then read git diff Tests/…/Goldens
/// ```
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Goldens", isDirectory: true)

    static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" }

    /// Compares `actual` with the golden `name` (or records it).
    static func expect(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        // A text file ends with a newline; the frame's text does not.
        let contents = actual + "\n"
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try contents.write(to: file, atomically: true, encoding: .utf8)
                Issue.record(
                    "recorded \(file.path); review it, then run again without RECORD_GOLDENS",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("could not record \(file.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record(
                "no golden at \(file.path): run with RECORD_GOLDENS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        #expect(contents == golden, "frame \(name) differs from \(file.path)", sourceLocation: sourceLocation)
        if contents != golden { print("ACTUAL \(name):\n" + actual + "\nEND") }
    }
}
