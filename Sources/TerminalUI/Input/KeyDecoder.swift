import CNcursesw

/// Turns raw input into ``Key``s, including the escape sequences ncurses leaves undecoded.
///
/// ncurses (with `keypad`) decodes the sequences its terminfo entry names and waits `ESCDELAY` for the
/// rest of one; what it does not know (modified arrows on some terminals, focus reports, bracketed-paste
/// markers, a mouse report) arrives as ESC followed immediately by the sequence's bytes. Those bytes
/// must never be typed into the filter, so after ESC the decoder looks at what is *already* waiting:
/// `[` or `O` starts a sequence that is read to its final byte and decoded or dropped whole; anything
/// else means Esc was a key of its own. Nothing waiting means a plain Esc.
///
/// ```swift
/// var decoder = KeyDecoder()
/// var pending: [RawInput] = [.character(0x5B), .character(0x41)]  // "[A" after ESC
/// decoder.decode(.character(0x1B)) { pending.isEmpty ? nil : pending.removeFirst() }  // [.up]
/// ```
public struct KeyDecoder: Sendable {
    /// `KEY_*` codes of the keys this program uses, from ncurses' `curses.h`.
    public enum Code {
        public static let down: Int32 = KEY_DOWN
        public static let up: Int32 = KEY_UP
        public static let left: Int32 = KEY_LEFT
        public static let right: Int32 = KEY_RIGHT
        public static let home: Int32 = KEY_HOME
        public static let backspace: Int32 = KEY_BACKSPACE
        public static let function0: Int32 = KEY_F0
        public static let delete: Int32 = KEY_DC
        public static let pageDown: Int32 = KEY_NPAGE
        public static let pageUp: Int32 = KEY_PPAGE
        public static let enter: Int32 = KEY_ENTER
        public static let lowerLeft: Int32 = KEY_LL
        public static let keypadA1: Int32 = KEY_A1
        public static let keypadA3: Int32 = KEY_A3
        public static let keypadC1: Int32 = KEY_C1
        public static let keypadC3: Int32 = KEY_C3
        public static let backTab: Int32 = KEY_BTAB
        public static let end: Int32 = KEY_END
        public static let resize: Int32 = KEY_RESIZE
    }

    /// Longest escape sequence read before giving up on it (a mouse report is under 20 bytes).
    static let maxSequenceLength = 32

    public init() {}

    /// Decodes one raw input; `lookahead` yields input that is already waiting (never blocks), nil when none.
    public func decode(_ raw: RawInput, lookahead: () -> RawInput?) -> [Key] {
        switch raw {
        case .keyCode(let code):
            return [decode(code: code)]
        case .mouse(let event):
            return [.mouse(event)]
        case .character(0x1B):
            return decodeEscape(lookahead: lookahead)
        case .character(let value):
            return [decode(character: value)]
        }
    }

    func decode(code: Int32) -> Key {
        switch code {
        case Code.up: .up
        case Code.down: .down
        case Code.left: .left
        case Code.right: .right
        case Code.home, Code.keypadA1: .home
        case Code.end, Code.lowerLeft, Code.keypadC1: .end
        case Code.pageUp, Code.keypadA3: .pageUp
        case Code.pageDown, Code.keypadC3: .pageDown
        case Code.backspace: .backspace
        case Code.delete: .delete
        case Code.enter: .enter
        case Code.backTab: .backTab
        case Code.resize: .resize
        case (Code.function0 + 1)...(Code.function0 + 63): .function(Int(code - Code.function0))
        default: .unrecognized
        }
    }

    func decode(character value: UInt32) -> Key {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x08, 0x7F: return .backspace
        case 0x01...0x1A:
            return .control(Character(Unicode.Scalar(UInt8(value + 0x60))))
        case 0x00..<0x20, 0x80..<0xA0:
            return .unrecognized
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unrecognized }
            return .character(Character(scalar))
        }
    }

    private func decodeEscape(lookahead: () -> RawInput?) -> [Key] {
        guard let next = lookahead() else { return [.escape] }
        switch next {
        case .character(0x5B):  // CSI: ESC [ params intermediates final
            return [decodeCSI(lookahead: lookahead)]
        case .character(0x4F):  // SS3: ESC O final
            guard case .character(let final)? = lookahead() else { return [.unrecognized] }
            return [decodeFinal(final, parameter: nil)]
        case .character(0x1B):
            // Esc pressed twice: the first is a key, the second may start something.
            return [.escape] + decodeEscape(lookahead: lookahead)
        default:
            // Esc followed at once by an ordinary key (Alt-key, or keys typed faster than ESCDELAY):
            // Esc, then that key.
            return [.escape] + decode(next, lookahead: lookahead)
        }
    }

    private func decodeCSI(lookahead: () -> RawInput?) -> Key {
        var parameters = ""
        for _ in 0..<Self.maxSequenceLength {
            guard case .character(let value)? = lookahead() else { return .unrecognized }
            switch value {
            case 0x30...0x3F, 0x20...0x2F:  // parameter and intermediate bytes
                parameters.unicodeScalars.append(Unicode.Scalar(UInt8(value)))
            case 0x40...0x7E:  // final byte
                return decodeFinal(value, parameter: parameters)
            default:
                return .unrecognized
            }
        }
        return .unrecognized
    }

    /// The keys common terminals send that a terminfo entry may not list; anything else is dropped.
    private func decodeFinal(_ final: UInt32, parameter: String?) -> Key {
        // Modified keys carry `1;5` and the like; the modifier is ignored, the key kept.
        let first = parameter?.split(separator: ";").first.map(String.init) ?? ""
        switch final {
        case 0x41: return .up  // A
        case 0x42: return .down  // B
        case 0x43: return .right  // C
        case 0x44: return .left  // D
        case 0x48: return .home  // H
        case 0x46: return .end  // F
        case 0x5A: return .backTab  // Z
        case 0x7E:  // ~
            switch first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return .unrecognized
            }
        default: return .unrecognized
        }
    }
}
