import CNcursesw

/// Sets up the character locale before anything is measured or drawn.
///
/// ncurses reads the locale when the screen starts and `wcwidth` depends on it: without a UTF-8
/// `LC_CTYPE` every non-ASCII name would be drawn as escapes and measured as unprintable. The
/// environment's locale wins (`setlocale(LC_ALL, "")`); when it is not UTF-8 (a bare SSH session
/// with `LANG` unset), `C.UTF-8` is used for the character type only, which glibc always provides.
public enum TerminalLocale {
    /// Applies the environment's locale, falling back to `C.UTF-8` for characters. Returns true when
    /// the resulting character set is UTF-8.
    @discardableResult
    public static func prepare() -> Bool {
        _ = setlocale(LC_ALL, "")
        if isUTF8 { return true }
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        return isUTF8
    }

    /// The current `LC_CTYPE` uses UTF-8.
    public static var isUTF8: Bool {
        guard let codeset = atlas_codeset() else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
