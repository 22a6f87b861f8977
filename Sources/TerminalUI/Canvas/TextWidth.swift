import CNcursesw
import RoleEditor

/// Display widths of text in terminal cells, as `wcwidth(3)` and therefore ncurses count them.
///
/// The canvas must agree with ncurses about where every character lands, or a CJK or emoji name
/// shifts the rest of its row. ncurses stores one spacing character plus up to four zero-width ones
/// per cell and advances by `wcwidth` of the spacing character, so text is split the same way here:
/// a ``Glyph`` is one spacing scalar and the zero-width scalars (combining marks, variation selectors,
/// joiners) that follow it. Emoji joined with ZWJ therefore count as the sum of their parts, which is
/// what ncurses, tmux and most terminals draw. `wcwidth` needs a UTF-8 `LC_CTYPE`; the terminal sets
/// one up before drawing (see ``TerminalLocale``).
///
/// ```swift
/// TextWidth.width("日本")                 // 4
/// TextWidth.truncated("Zoë Ångström", to: 6)  // "Zoë Å…"
/// ```
public enum TextWidth {
    /// The ellipsis that marks truncated text; one cell wide.
    public static let ellipsis = "…"

    /// Most zero-width scalars a cell keeps (ncurses' `CCHARW_MAX` is 5, one of them the spacing one).
    static let maxCombining = 4

    /// The cell width of one scalar: 0 (combining, joiner), 1 or 2. Unprintable scalars count 1,
    /// because they are drawn as a replacement character.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // ASCII is by far the most common; skip the libc call.
        if value >= 0x20 && value < 0x7F { return 1 }
        let width = Int(atlas_wcwidth(value))
        return width < 0 ? 1 : min(width, 2)
    }

    /// The total width of `text` in cells.
    public static func width(_ text: String) -> Int {
        var total = 0
        for glyph in glyphs(text) { total += glyph.width }
        return total
    }

    /// `text` split into the units a terminal cell holds.
    public static func glyphs(_ text: String) -> [Glyph] {
        var result: [Glyph] = []
        result.reserveCapacity(text.utf8.count)
        var current = String.UnicodeScalarView()
        var currentWidth = 0
        var combining = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if SafeText.isUnsafe(scalar) {
                // Control characters and bidi overrides never reach the screen; sanitized text has none,
                // this is the backstop (a bidi control has width 0 and would otherwise ride along as a mark).
                flush(&current, &currentWidth, &result)
                current.append("\u{FFFD}")
                currentWidth = 1
                combining = 0
                continue
            }
            let printable = atlas_wcwidth(value) >= 0 || value < 0x7F
            let width = printable ? width(of: scalar) : 1
            if width == 0 {
                if current.isEmpty {
                    // A mark with nothing to combine with: give it a base so it is visible and takes a cell.
                    current.append(" ")
                    currentWidth = 1
                    combining = 0
                }
                if combining < maxCombining {
                    current.append(scalar)
                    combining += 1
                }
                continue
            }
            flush(&current, &currentWidth, &result)
            current.append(printable ? scalar : "\u{FFFD}")
            currentWidth = width
            combining = 0
        }
        flush(&current, &currentWidth, &result)
        return result
    }

    private static func flush(_ current: inout String.UnicodeScalarView, _ width: inout Int, _ result: inout [Glyph]) {
        guard !current.isEmpty else { return }
        result.append(Glyph(text: String(current), width: width))
        current = String.UnicodeScalarView()
        width = 0
    }

    /// `text` cut to at most `width` cells, ending in `…` when anything was cut.
    public static func truncated(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let glyphs = glyphs(text)
        var total = 0
        for glyph in glyphs { total += glyph.width }
        if total <= width { return text }
        var result = ""
        var used = 0
        for glyph in glyphs {
            if used + glyph.width > width - 1 { break }
            result += glyph.text
            used += glyph.width
        }
        return result + ellipsis
    }

    /// `text` truncated or padded with spaces to exactly `width` cells.
    public static func fitted(_ text: String, to width: Int, alignment: Alignment = .leading) -> String {
        let cut = truncated(text, to: width)
        let gap = max(0, width - self.width(cut))
        let padding = String(repeating: " ", count: gap)
        switch alignment {
        case .leading: return cut + padding
        case .trailing: return padding + cut
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
        }
    }

    /// `text` as lines of at most `width` cells, broken at spaces where a word fits, else inside the
    /// word; lines after the first start with `indent`. For messages that must be read whole (an error
    /// envelope, a hint) where cutting them with `…` would hide what to do.
    public static func wrapped(_ text: String, width: Int, indent: String = "") -> [String] {
        let indentWidth = self.width(indent)
        guard width > indentWidth + 1 else { return [truncated(text, to: width)] }
        var lines: [String] = []
        var line = ""
        var used = 0
        var room: Int { (lines.isEmpty ? width : width - indentWidth) - used }
        func finishLine() {
            lines.append(lines.isEmpty ? line : indent + line)
            line = ""
            used = 0
        }
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let wordGlyphs = glyphs(String(word))
            let wordWidth = wordGlyphs.reduce(0) { $0 + $1.width }
            let separator = index == 0 ? 0 : 1
            if separator + wordWidth <= room {
                if separator == 1 { line += " " }
                line += word
                used += separator + wordWidth
                continue
            }
            // Does not fit: a new line, unless it would not fit on one either (then break inside it).
            if used > 0 && wordWidth <= width - indentWidth {
                finishLine()
                line = String(word)
                used = wordWidth
                continue
            }
            if separator == 1 && used > 0 && room > 1 {
                line += " "
                used += 1
            }
            for glyph in wordGlyphs {
                if glyph.width > room { finishLine() }
                line += glyph.text
                used += glyph.width
            }
        }
        if used > 0 || lines.isEmpty { finishLine() }
        return lines
    }

    /// Where text sits in a wider space.
    public enum Alignment: Sendable {
        case leading, trailing, center
    }
}

/// One spacing character with its combining marks, and the cells it takes (1 or 2).
public struct Glyph: Hashable, Sendable {
    public var text: String
    public var width: Int

    public init(text: String, width: Int) {
        self.text = text
        self.width = width
    }
}
