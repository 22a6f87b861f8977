// CNcursesw: the wide-character ncurses for Swift, plus the few things Swift cannot import from it.
//
// Every helper below exists for one of three reasons, named at each:
//  (a) a macro Swift does not import (function-like macros, or macros built from casts and shifts);
//  (b) a mutable C global that Swift 6's strict concurrency refuses to read (`stdscr`, `COLS`, `LINES`);
//  (c) work that must be async-signal-safe (the signal handler), which Swift code cannot promise.
#ifndef ATLAS_ROLES_CNCURSESW_SHIM_H
#define ATLAS_ROLES_CNCURSESW_SHIM_H

// The wide-character calls (get_wch, mvaddnwstr, setcchar) are only declared with this defined.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

// wcwidth is only declared under _XOPEN_SOURCE, which the Glibc module Swift already built lacks; the
// canvas must measure text exactly as ncurses does, with this very function.
int wcwidth(wchar_t c);
static inline int atlas_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

// (b) The current screen's window and size, read through functions.
static inline WINDOW *atlas_stdscr(void) { return stdscr; }
static inline int atlas_cols(void) { return COLS; }
static inline int atlas_lines(void) { return LINES; }
static inline int atlas_colors(void) { return COLORS; }
// (b) The C streams newterm writes to and reads from are mutable globals too.
static inline FILE *atlas_stdin(void) { return stdin; }
static inline FILE *atlas_stdout(void) { return stdout; }

// (a) getmaxyx is a macro assigning to its arguments.
static inline void atlas_getmaxyx(WINDOW *window, int *rows, int *cols) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *cols = x;
}

// (a) Video attributes: NCURSES_BITS shifts are macros Swift does not import.
static inline attr_t atlas_a_normal(void) { return A_NORMAL; }
static inline attr_t atlas_a_bold(void) { return A_BOLD; }
static inline attr_t atlas_a_dim(void) { return A_DIM; }
static inline attr_t atlas_a_reverse(void) { return A_REVERSE; }
static inline attr_t atlas_a_underline(void) { return A_UNDERLINE; }
static inline attr_t atlas_a_italic(void) { return A_ITALIC; }
static inline attr_t atlas_a_standout(void) { return A_STANDOUT; }

// (a) COLOR_PAIR(n) is a function-like macro.
static inline attr_t atlas_color_pair(int pair) { return COLOR_PAIR(pair); }

// (a) ACS line-drawing characters index the acs_map array through a macro; used when the locale
// cannot show Unicode box drawing (a non-UTF-8 terminal).
static inline chtype atlas_acs_hline(void) { return ACS_HLINE; }
static inline chtype atlas_acs_vline(void) { return ACS_VLINE; }
static inline chtype atlas_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype atlas_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype atlas_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype atlas_acs_lrcorner(void) { return ACS_LRCORNER; }

// (a) KEY_F(n) is a function-like macro.
static inline int atlas_key_f(int n) { return KEY_F(n); }

// The locale's character set ("UTF-8" when wide output will work); nl_langinfo's result is static.
static inline const char *atlas_codeset(void) { return nl_langinfo(CODESET); }

// The terminal's size as the kernel reports it, for resize handling outside ncurses' own SIGWINCH path.
static inline int atlas_tty_size(int fd, int *rows, int *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

// (c) Signals become bytes on a self-pipe, read by the one thread that owns curses.
// A handler may only call async-signal-safe functions; write(2) is one, and this keeps errno intact.
// The byte is the signal number, so the main loop knows which one arrived. Because the process has
// several threads, a signal can land on any of them: the pipe wakes the curses thread wherever it lands.
static inline int *atlas_signal_fd(void) {
    static int fd = -1;
    return &fd;
}

static void atlas_signal_handler(int signo) {
    int saved = errno;
    int fd = *atlas_signal_fd();
    if (fd >= 0) {
        unsigned char byte = (unsigned char)signo;
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

// Routes SIGINT, SIGTERM, SIGHUP and SIGWINCH to `write_fd` (non-blocking end of a pipe).
// Returns 0, or -1 with errno set.
static inline int atlas_signals_route(int write_fd) {
    *atlas_signal_fd() = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = atlas_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

// Puts the default disposition back (after the terminal is restored), so a second signal ends the process.
static inline void atlas_signals_restore(void) {
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
    *atlas_signal_fd() = -1;
}

// (a) The mouse: the button masks are built from macros Swift does not import.
// Every report the terminal sends in this mode is in the mask, releases and the middle and right
// buttons included, though only left clicks and the wheel do anything: a report outside the mask makes
// wgetch discard it and read on, a blocking read(2) that holds the program (no redraw, no resize, no
// progress) until the next key. A left press and release read together come back as one CLICKED.
static inline mmask_t atlas_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON2_PRESSED | BUTTON2_RELEASED
        | BUTTON3_PRESSED | BUTTON3_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int atlas_mouse_is_click(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int atlas_mouse_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int atlas_mouse_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }

// (c) A crash (a Swift trap is SIGILL/SIGTRAP, a bad pointer SIGSEGV) must not leave the terminal in raw
// mode on the alternate screen with the cursor hidden. endwin() is not async-signal-safe, but
// tcsetattr(2) and write(2) are: the handler puts back the terminal modes saved at start, writes
// the terminal's own "leave alternate screen, show cursor, reset attributes" strings, then lets the
// signal take its default course (core dump, exit status) with SA_RESETHAND.
#include <termios.h>
// The state lives in a function-local static: Swift's importer emits the inline functions it calls
// (and their local statics) but not file-scope aggregates, which would be left undefined at link time.
struct atlas_crash_state {
    struct termios termios;
    int termios_valid;
    int fd;
    size_t length;
    char sequence[256];
};
static inline struct atlas_crash_state *atlas_crash_state(void) {
    static struct atlas_crash_state state;
    return &state;
}

static void atlas_crash_handler(int signo) {
    struct atlas_crash_state *state = atlas_crash_state();
    if (state->termios_valid) tcsetattr(state->fd, TCSANOW, &state->termios);
    if (state->length > 0) {
        ssize_t ignored = write(state->fd, state->sequence, state->length);
        (void)ignored;
    }
    raise(signo);
}

static inline void atlas_append_capability(const char *name) {
    char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) return;
    size_t length = strlen(value);
    struct atlas_crash_state *state = atlas_crash_state();
    if (state->length + length >= sizeof state->sequence) return;
    memcpy(state->sequence + state->length, value, length);
    state->length += length;
}

// Call once the screen is up (tigetstr needs the terminal loaded) with the tty's fd; `termios` is the
// state to return to, captured before curses changed it.
static inline void atlas_crash_guard_install(int fd, const struct termios *termios) {
    struct atlas_crash_state *state = atlas_crash_state();
    state->fd = fd;
    state->termios = *termios;
    state->termios_valid = 1;
    state->length = 0;
    atlas_append_capability("sgr0");
    atlas_append_capability("cnorm");
    atlas_append_capability("rmcup");
    // Mouse reporting off (every mode ncurses may have turned on): a terminal left reporting would type
    // escape sequences into the shell on every click.
    static const char mouse_off[] = "\033[?1006l\033[?1002l\033[?1000l";
    if (state->length + sizeof mouse_off - 1 < sizeof state->sequence) {
        memcpy(state->sequence + state->length, mouse_off, sizeof mouse_off - 1);
        state->length += sizeof mouse_off - 1;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = atlas_crash_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, NULL);
}

static inline void atlas_crash_guard_remove(void) {
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
    atlas_crash_state()->termios_valid = 0;
}

#endif
