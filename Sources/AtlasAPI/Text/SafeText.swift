/// Makes text from a server safe to put on a terminal or in a log line.
///
/// Names, emails and error details come from the network: an escape sequence in a user's name must not
/// move the cursor, retitle the window or hide text, and a bidi override must not reorder what an admin
/// reads. Control characters become visible `^X`/`\u{…}` forms, whole ESC/CSI/OSC/DCS sequences are shown
/// as `␛` (not interpreted), and bidi controls and invisible format characters (zero-width spaces, soft
/// hyphens, tag characters) are shown as `⟨U+202E⟩`-style markers: `ad⟨U+200B⟩min@x` is not `admin@x`.
///
/// ```swift
/// SafeText.sanitized("Eve\u{1B}[2J\u{202E}moc.live")  // "Eve␛[2J⟨U+202E⟩moc.live"
/// ```
public enum SafeText {
    /// `text` with every control character, escape sequence introducer and bidi control made harmless.
    ///
    /// Newlines and tabs become spaces unless `keepNewlines` (multi-line error details).
    public static func sanitized(_ text: String, keepNewlines: Bool = false) -> String {
        // Fast path: the vast majority of names need no change, and this runs for every drawn cell.
        if !text.unicodeScalars.contains(where: { isUnsafe($0) || $0.value == 0x200D }) { return text }
        var result = String.UnicodeScalarView()
        result.reserveCapacity(text.unicodeScalars.count + 8)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar.value {
            case 0x200D where previous?.properties.isEmoji == true && (previous?.value ?? 0) > 0xFF:
                // A zero-width joiner inside an emoji sequence (👩‍💻) is how the emoji is written.
                result.append(scalar)
            case 0x200D:
                result.append(contentsOf: "⟨U+200D⟩".unicodeScalars)
            case 0x1B:
                // The escape itself is what a terminal acts on; the bytes after it are plain text once
                // it is gone, so showing them keeps the evidence visible without effect.
                result.append(contentsOf: "␛".unicodeScalars)
            case 0x0A, 0x0D:
                if keepNewlines && scalar.value == 0x0A {
                    result.append(scalar)
                } else {
                    result.append(" ")
                }
            case 0x09:
                result.append(" ")
            case 0x00..<0x20:
                result.append("^")
                result.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                result.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0:
                // C1 controls: 0x9B is a one-byte CSI on some terminals.
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default:
                if isUnsafe(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result.append(contentsOf: "⟨U+\(hex)⟩".unicodeScalars)
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }

    /// True for a scalar that must never reach a terminal as it is: C0 controls (tab and newline
    /// included), DEL, C1 controls, the bidi controls of ``isBidiControl(_:)``, the line and
    /// paragraph separators, and invisible format characters (category Cf, but for the zero-width
    /// joiner that emoji sequences need; ``sanitized(_:keepNewlines:)`` marks a joiner outside one). ``sanitized(_:keepNewlines:)`` shows each of them in a visible form, and
    /// the screen's last line of defence draws a replacement character for any that got that far.
    /// Inlinable: the screen asks it for every scalar it draws.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F..<0xA0).contains(value) || isBidiControl(scalar) || isLineSeparator(scalar)
            || isInvisibleFormat(scalar)
    }

    /// Cf characters other than the zero-width joiner. The CJK and Hangul blocks hold none, so the
    /// category table is not consulted for the scalars most non-Latin names are made of.
    @inlinable
    static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0xAD, value != 0x200D, value < 0x2E80 || value >= 0xFE00 else { return false }
        return scalar.properties.generalCategory == .format
    }

    /// LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM: the characters of "Trojan Source".
    @inlinable
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// U+2028 and U+2029 break a row as a newline would.
    @inlinable
    static func isLineSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
