/// Makes text from a server safe to put on a terminal or in a log line.
///
/// Names, emails and error details come from the network: an escape sequence in a user's name must not
/// move the cursor, retitle the window or hide text, and a bidi override must not reorder what an admin
/// reads. Control characters become visible `^X`/`\u{…}` forms, whole ESC/CSI/OSC/DCS sequences are shown
/// as `␛` (not interpreted), and bidi controls are shown as `⟨U+202E⟩`-style markers.
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
        if !text.unicodeScalars.contains(where: isUnsafe) { return text }
        var result = String.UnicodeScalarView()
        result.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
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
    /// included), DEL, C1 controls, the bidi controls of ``isBidiControl(_:)`` and the line and
    /// paragraph separators. ``sanitized(_:keepNewlines:)`` shows each of them in a visible form, and
    /// the screen's last line of defence draws a replacement character for any that got that far.
    /// Inlinable: the screen asks it for every scalar it draws.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F..<0xA0).contains(value) || isBidiControl(scalar) || isLineSeparator(scalar)
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
