/// Text on its way to standard output, handed over in pieces of about ``defaultChunkSize`` bytes.
///
/// `list` on a large organization prints megabytes; building that as one String held all of it, plus a
/// copy each time the String grew, until the last user was rendered. Pieces keep the peak at one
/// piece, and the first lines reach a pipe before the last are rendered.
struct ChunkedWriter {
    static let defaultChunkSize = 1 << 16

    /// UTF-8 of whole scalars: a renderer appends bytes here without making a String of each field.
    private var pending: [UInt8] = []
    private let chunkSize: Int
    private let emit: (String) -> Void

    /// `emit` receives each piece, in order; ``flush()`` hands over the last one.
    init(chunkSize: Int = defaultChunkSize, emit: @escaping (String) -> Void) {
        self.chunkSize = max(1, chunkSize)
        self.emit = emit
    }

    mutating func write(_ text: String) {
        pending.append(contentsOf: text.utf8)
        handOverIfFull()
    }

    /// Lets `body` append UTF-8 to the pending piece; it must append whole scalars.
    mutating func writeUTF8(_ body: (inout [UInt8]) -> Void) {
        body(&pending)
        handOverIfFull()
    }

    /// Hands over whatever is pending; call it once the output is complete.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        emit(String(decoding: pending, as: UTF8.self))
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func handOverIfFull() {
        if pending.count >= chunkSize { flush() }
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
