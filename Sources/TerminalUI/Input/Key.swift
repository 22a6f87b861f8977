/// A key press, decoded from what ncurses and the terminal deliver.
public enum Key: Hashable, Sendable {
    /// Printable text (letters, digits, punctuation, any script).
    case character(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, home, end, pageUp, pageDown
    /// Ctrl plus a letter, lower case (`.control("c")`); Enter, Tab and Backspace have their own cases.
    case control(Character)
    case function(Int)
    /// A click or a turn of the wheel (when the mouse is on).
    case mouse(MouseEvent)
    /// The terminal changed size.
    case resize
    /// An escape sequence or code this program does not use; swallowed so its bytes never reach a text field.
    case unrecognized
}
