/// One unit of input as `get_wch` returns it, before decoding.
public enum RawInput: Hashable, Sendable {
    /// A character (`get_wch` returned `OK`): its code point.
    case character(UInt32)
    /// A function key ncurses decoded itself (`KEY_CODE_YES`): the `KEY_*` code.
    case keyCode(Int32)
}
