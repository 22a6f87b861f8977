import Glibc

/// A self-pipe: other threads (and signal handlers) write a byte to wake the curses thread's `poll`.
///
/// The byte says why: a signal number for signals, ``WakeupPipe/actionByte`` for posted actions.
/// Both ends are non-blocking, so a full pipe never blocks a writer (the reader is awake anyway).
final class WakeupPipe: @unchecked Sendable {
    /// Written when an action was posted (no signal has this number).
    static let actionByte: UInt8 = 0xFF

    let readEnd: Int32
    let writeEnd: Int32

    init() throws(TerminalError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Wakes the reader; safe from any thread. (Signal handlers use the C handler on the same fd.)
    func wake(_ byte: UInt8 = WakeupPipe.actionByte) {
        var value = byte
        _ = write(writeEnd, &value, 1)
    }

    /// Every byte written since the last drain.
    func drain() -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}
