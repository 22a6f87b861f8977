import CNcursesw
import Glibc

/// Ctrl-Z and `fg`: SIGTSTP and SIGCONT become bytes on the wake-up pipe, like the other signals, so
/// suspending happens on the one thread that owns curses.
///
/// ncurses installs a SIGTSTP handler of its own that calls `endwin` and, on resume, `doupdate`
/// from inside the handler. In this process the signal lands on whichever thread the kernel picks
/// (usually not the curses thread), so that handler would run curses concurrently with the main
/// loop's own drawing. Routing the signal to the loop instead lets it restore the terminal, stop,
/// and repaint in order; see ``CursesScreen/suspend()`` and ``MainLoop``.
enum JobControl {
    /// The signals this routes; `install` must run after `newterm`, which installs ncurses' handler.
    private static let signals = [SIGTSTP, SIGCONT]

    /// The dispositions that were in place before ``install(wakeupFD:)``, to put back in ``uninstall(_:)``.
    struct Saved {
        fileprivate var actions: [Int32: sigaction]
    }

    /// Sends SIGTSTP and SIGCONT to `wakeupFD`, the wake-up pipe's write end, with the shim's
    /// async-signal-safe handler.
    static func install(wakeupFD: Int32) throws(TerminalError) -> Saved {
        // The shim's handler and its fd live in `static` C functions, which Swift emits once per object
        // file (per source file in a debug build): the copy this file calls needs the fd set here,
        // whatever atlas_signals_route set in another file's copy.
        atlas_signal_fd().pointee = wakeupFD
        var saved = Saved(actions: [:])
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = atlas_signal_handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var previous = sigaction()
            guard sigaction(signal, &action, &previous) == 0 else {
                throw TerminalError.system(call: "sigaction", errno: errno)
            }
            saved.actions[signal] = previous
        }
        return saved
    }

    static func uninstall(_ saved: Saved) {
        for (signal, action) in saved.actions {
            var previous = action
            _ = sigaction(signal, &previous, nil)
        }
        atlas_signal_fd().pointee = -1
    }

    /// Stops the process the way the terminal's Ctrl-Z would have, and returns once it is continued.
    ///
    /// SIGTSTP with its default disposition rather than SIGSTOP: the kernel discards a SIGTSTP sent to
    /// an orphaned process group (no shell left to `fg` it), so the program carries on instead of
    /// staying stopped for ever. The handler is back in place on return.
    static func stopUntilContinued() {
        var ours = sigaction()
        var defaultAction = sigaction()
        defaultAction.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&defaultAction.sa_mask)
        _ = sigaction(SIGTSTP, &defaultAction, &ours)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTSTP)
        _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        // raise(3) directs the signal at this thread: the stop takes every thread, and this call
        // returns only after SIGCONT.
        _ = raise(SIGTSTP)
        _ = sigaction(SIGTSTP, &ours, nil)
    }
}
