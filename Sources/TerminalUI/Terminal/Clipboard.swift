#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Copying text to the clipboard of the terminal the person sits at, through OSC 52: the terminal
/// (xterm, iTerm2, kitty, WezTerm, Windows Terminal; tmux with `set-clipboard on`) sets its clipboard
/// from the sequence, so it works over SSH where no local clipboard tool can.
///
/// ```swift
/// Clipboard.sequence(for: "ana@example.com")  // "\u{1B}]52;c;YW5hQGV4YW1wbGUuY29t\u{07}"
/// ```
enum Clipboard {
    /// `ESC ] 52 ; c ; <base64> BEL`: the text, base64-encoded, for the clipboard selection.
    static func sequence(for text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }

    /// The text as it may go to the clipboard: without control or format characters (a BEL or ESC that
    /// a pasted command line would carry along, a bidirectional override that hides what is pasted).
    /// An email from the server is copied as the characters it is made of, nothing else.
    static func cleaned(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                continue
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
