import Glibc

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `atlas-roles-sandbox` program, which the packaged atlas-roles runs for `--demo` and
/// `atlas-roles sandbox` instead of carrying a server itself.
///
/// It is looked for beside the running executable (a build directory, an unpacked tarball's `bin/`),
/// then in `../lib/atlas-roles` from there (the package's and `make install`'s place for programs
/// that are not commands), both found from `/proc/self/exe`, never through `PATH`: another program of
/// that name earlier in `PATH` would be handed the demo's terminal and credentials.
enum SandboxProgram {
    static let name = "atlas-roles-sandbox"

    /// Where the program may be, in the order it is looked for, for an executable in `directory`.
    static func candidates(besideExecutableIn directory: String) -> [String] {
        [directory + "/" + name, directory + "/../lib/atlas-roles/" + name]
    }

    /// The directory of the running executable, symbolic links resolved by the kernel.
    static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// The absolute path of the program, or a usage error that says where it was looked for.
    static func locate(besideExecutableIn directory: String? = executableDirectory(), purpose: String)
        throws(CommandFailure) -> String
    {
        guard let directory else {
            throw CommandFailure(
                .usageOrConfiguration, "error: \(purpose) needs \(name), and /proc/self/exe cannot be read to find it")
        }
        let places = candidates(besideExecutableIn: directory)
        if let found = places.first(where: { access($0, X_OK) == 0 }) { return found }
        throw CommandFailure(
            .usageOrConfiguration,
            "error: \(purpose) needs the \(name) program, which is not installed with this atlas-roles "
                + "(looked for \(places.joined(separator: " and "))); install the whole package, or build it with "
                + "'swift build --product \(name)'")
    }

    /// Replaces this process with the program, `arguments` after its name; returns only by throwing.
    ///
    /// The signal mask and dispositions are reset first, as a shell starting it would have them: the
    /// thread that gets here may be one of the runtime's, which block signals, and an exec keeps the
    /// caller's mask, so the sandbox would never see the SIGTERM that stops it.
    static func exec(_ executable: String, arguments: [String]) throws(CommandFailure) -> Never {
        resetSignals()
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, &argv)
        let reason = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        throw CommandFailure(.usageOrConfiguration, "error: cannot run \(executable): \(reason)")
    }

    private static func resetSignals() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        // The standard signals; the real-time ones above 31 are the C library's own.
        for number: Int32 in 1...31 where number != SIGKILL && number != SIGSTOP {
            signal(number, SIG_DFL)
        }
    }
}

/// A running `atlas-roles-sandbox` started for the demo, and what it announced once listening.
///
/// Its standard input is a pipe whose other end only this process holds (close-on-exec), and it runs
/// with `--stop-at-end-of-input`: if this process dies in any way, even by SIGKILL, the kernel
/// closes the pipe and the sandbox stops instead of lingering on its port. It runs in a process group
/// of its own, so the Ctrl-C or Ctrl-Z typed at the screen is not delivered to it.
final class SandboxProcess: Sendable {
    /// What the sandbox writes on standard output once listening (`--ready-file -`).
    struct Ready: Decodable, Sendable {
        struct Key: Decodable, Sendable {
            var publicKey: String
            var privateKey: String
        }
        struct Organization: Decodable, Sendable {
            var id: String
            var name: String
            var userCount: Int
        }
        var baseURL: String
        var apiKey: Key
        var organizations: [Organization]
    }

    let processID: pid_t
    let ready: Ready
    private let inputWriteEnd: Int32

    private init(processID: pid_t, ready: Ready, inputWriteEnd: Int32) {
        self.processID = processID
        self.ready = ready
        self.inputWriteEnd = inputWriteEnd
    }

    /// Starts `executable` with `arguments` (after those that make it announce itself and stop with
    /// this process), its standard error the open file `errorLog` (named `errorLogName` in messages)
    /// or discarded, and waits up to `readyTimeoutSeconds` for its announcement.
    static func launch(
        _ executable: String, arguments: [String], errorLog: Int32?, errorLogName: String?,
        readyTimeoutSeconds: Int32 = 60
    ) throws(CommandFailure) -> SandboxProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard pipe(&input) == 0 else { throw failure("cannot make a pipe", errno) }
        guard pipe(&output) == 0 else {
            close(input[0])
            close(input[1])
            throw failure("cannot make a pipe", errno)
        }
        // No other program this process starts may inherit an end (pipe2 needs _GNU_SOURCE).
        for end in input + output { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var every = sigset_t()
        sigfillset(&every)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO)
        if let errorLog {
            posix_spawn_file_actions_adddup2(&actions, errorLog, STDERR_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        }

        let fullArguments = [executable, "--port", "0", "--ready-file", "-", "--stop-at-end-of-input"] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = fullArguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var processID: pid_t = 0
        let spawned = posix_spawn(&processID, executable, &actions, &attributes, &argv, environ)
        close(input[0])
        close(output[1])
        guard spawned == 0 else {
            close(input[1])
            close(output[0])
            throw failure("cannot run \(executable)", spawned)
        }
        let line = readLine(from: output[0], timeoutSeconds: readyTimeoutSeconds)
        close(output[0])
        guard let line, let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            let status = terminate(processID, inputWriteEnd: input[1])
            let log = errorLogName.map { " (its errors: \($0))" } ?? ""
            throw CommandFailure(
                .refused, "error: \(name) did not start\(log); \(describe(status: status))")
        }
        return SandboxProcess(processID: processID, ready: ready, inputWriteEnd: input[1])
    }

    /// Stops the sandbox (SIGTERM, and the end of its input) and waits for it; returns its wait status.
    @discardableResult
    func stop() -> Int32 {
        Self.terminate(processID, inputWriteEnd: inputWriteEnd)
    }

    private static func terminate(_ processID: pid_t, inputWriteEnd: Int32) -> Int32 {
        kill(processID, SIGTERM)
        close(inputWriteEnd)
        var status: Int32 = 0
        while waitpid(processID, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    private static var name: String { SandboxProgram.name }

    private static func failure(_ what: String, _ code: Int32) -> CommandFailure {
        CommandFailure(.refused, "error: \(what): \(String(cString: strerror(code)))")
    }

    private static func describe(status: Int32) -> String {
        // WIFEXITED / WEXITSTATUS and WTERMSIG, which Swift does not import as macros.
        (status & 0x7F) == 0 ? "it exited with status \((status >> 8) & 0xFF)" : "it ended by signal \(status & 0x7F)"
    }

    /// The first line `descriptor` gives, or nil at its end or after `timeoutSeconds` without one.
    private static func readLine(from descriptor: Int32, timeoutSeconds: Int32) -> String? {
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(Int(timeoutSeconds)))
        while true {
            let remaining = clock.now.duration(to: deadline).components
            let remainingMilliseconds = remaining.seconds * 1000 + remaining.attoseconds / 1_000_000_000_000_000
            guard remainingMilliseconds > 0 else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&poller, 1, Int32(remainingMilliseconds))
            if polled < 0 && errno == EINTR { continue }
            guard polled > 0 else { return nil }
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            bytes.append(contentsOf: buffer[0..<count])
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
    }
}
