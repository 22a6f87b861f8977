/// One unit of input as `get_wch` returns it, before decoding.
public enum RawInput: Hashable, Sendable {
    /// A character (`get_wch` returned `OK`): its code point.
    case character(UInt32)
    /// A function key ncurses decoded itself (`KEY_CODE_YES`): the `KEY_*` code.
    case keyCode(Int32)
    /// A mouse report ncurses decoded (`KEY_MOUSE`, then `getmouse`).
    case mouse(MouseEvent)
}

/// A click or a turn of the wheel, at a cell of the screen (0-based).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case click
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var row: Int
    public var column: Int

    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }
}
