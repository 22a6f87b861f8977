/// Text on its way to standard output, handed over in pieces of about ``defaultChunkSize`` bytes.
///
/// `list` on a large organization prints megabytes; building that as one String held all of it, plus a
/// copy each time the String grew, until the last user was rendered. Pieces keep the peak at one
/// piece, and the first lines reach a pipe before the last are rendered.
struct ChunkedWriter {
    static let defaultChunkSize = 1 << 16

    private var pending = ""
    private let chunkSize: Int
    private let emit: (String) -> Void

    /// `emit` receives each piece, in order; ``flush()`` hands over the last one.
    init(chunkSize: Int = defaultChunkSize, emit: @escaping (String) -> Void) {
        self.chunkSize = max(1, chunkSize)
        self.emit = emit
    }

    mutating func write(_ text: String) {
        pending += text
        if pending.utf8.count >= chunkSize { flush() }
    }

    mutating func write(_ bytes: some Collection<UInt8>) {
        write(String(decoding: bytes, as: UTF8.self))
    }

    /// Hands over whatever is pending; call it once the output is complete.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        emit(pending)
        pending = ""
    }
}

extension ChunkedWriter {
    /// Everything `body` writes, as one String (for tests and small outputs).
    static func collect(_ body: (inout ChunkedWriter) throws -> Void) rethrows -> String {
        final class Text { var value = "" }
        let text = Text()
        var writer = ChunkedWriter { text.value += $0 }
        try body(&writer)
        writer.flush()
        return text.value
    }
}
