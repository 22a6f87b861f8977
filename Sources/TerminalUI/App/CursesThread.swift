import Glibc

/// Runs the main loop on a thread of its own and awaits its result.
///
/// The loop blocks in `poll(2)`; on the cooperative thread pool (two threads on a two-core machine)
/// that would starve the effect runner's HTTP tasks, so it gets a dedicated pthread instead.
enum CursesThread {
    private final class Job: @unchecked Sendable {
        let body: @Sendable () -> Int32
        let done: CheckedContinuation<Int32, Never>
        init(body: @escaping @Sendable () -> Int32, done: CheckedContinuation<Int32, Never>) {
            self.body = body
            self.done = done
        }
    }

    static func run(_ body: @escaping @Sendable () -> Int32) async -> Int32 {
        await withCheckedContinuation { continuation in
            let job = Unmanaged.passRetained(Job(body: body, done: continuation)).toOpaque()
            var thread = pthread_t()
            let result = pthread_create(
                &thread, nil,
                { argument in
                    let job = Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue()
                    job.done.resume(returning: job.body())
                    return nil
                }, job)
            if result == 0 {
                pthread_detach(thread)
            } else {
                // No thread to be had: run here rather than not at all.
                let job = Unmanaged<Job>.fromOpaque(job).takeRetainedValue()
                job.done.resume(returning: job.body())
            }
        }
    }
}
