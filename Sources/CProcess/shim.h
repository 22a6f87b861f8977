// Linux calls Swift cannot make itself, each with why it exists.
#ifndef ATLAS_ROLES_CPROCESS_SHIM_H
#define ATLAS_ROLES_CPROCESS_SHIM_H

#include <sys/prctl.h>

// prctl(2) is variadic, and Swift does not import C variadic functions: a fixed-argument wrapper.
// PR_SET_DUMPABLE 0: no core file, and no ptrace attach by other processes of the same user, while
// the process holds a private key or an access token.
static inline int atlas_process_set_undumpable(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// For tests: 1 while the process may be dumped, 0 once it may not.
static inline int atlas_process_is_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

// libFuzzer's entry when the program has its own main (SwiftPM renames an executable's main, so the
// fuzzer's cannot be used): declared here, resolved only in `make fuzz`'s -sanitize=fuzzer build.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
