import RoleEditor

/// The frame's fixed rows, shared by every pane so the list's height matches what the editor was told
/// (``EditorState/listChromeRows``: header, sub-header, status line).
struct FrameLayout {
    let header: Rect
    let subheader: Rect
    let body: Rect
    let status: Rect

    init(width: Int, height: Int) {
        let all = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = all.splitTop(1)
        let (subheader, middle) = rest.splitTop(1)
        let (body, status) = middle.splitBottom(1)
        self.header = header
        self.subheader = subheader
        self.body = body
        self.status = status
    }

    /// The smallest terminal every pane still makes sense in.
    static let minimumWidth = 40
    static let minimumHeight = 10
}
