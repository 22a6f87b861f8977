extension Key {
    /// How help, hints and prompts write the key: "j", "G", "Space", "Enter", "Esc", "PgUp", "Ctrl-C".
    /// The four arrows are written together, as "arrows".
    var name: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .up, .down, .left, .right: "arrows"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .control(let letter): "Ctrl-" + letter.uppercased()
        case .function(let number): "F\(number)"
        case .mouse: "mouse"
        case .resize: "resize"
        case .unrecognized: "unrecognized"
        }
    }
}
