import CProcess
import Glibc

/// What the process does before it reads a secret: no core dumps.
///
/// A crash (or a `kill -SEGV` by the same user) would otherwise write the process's memory, private
/// key and access token included, to a core file that may land in a shared directory or a crash
/// collector. `RLIMIT_CORE` 0 stops the file; `PR_SET_DUMPABLE` 0 also stops other processes of the
/// same user from attaching to read that memory.
enum ProcessHardening {
    static func apply() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &none)
        _ = atlas_process_set_undumpable()
    }
}
