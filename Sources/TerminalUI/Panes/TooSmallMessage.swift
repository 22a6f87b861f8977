/// What the screen shows when the terminal is below the minimum size: a centred note with the size needed.
enum TooSmallMessage {
    /// `question`: a prompt waiting for y/n, shown instead of the quit hint so it can still be answered.
    static func draw(into canvas: inout Canvas, minimumWidth: Int, minimumHeight: Int, question: String? = nil) {
        let lines = [
            "Terminal too small",
            "need \(minimumWidth)×\(minimumHeight), have \(canvas.width)×\(canvas.height)",
            question ?? "enlarge it, or \(KeyText.key(for: .quit, in: .tooSmall)!.name) to quit",
        ]
        let top = max(0, (canvas.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < canvas.height {
            let width = TextWidth.width(line)
            let x = max(0, (canvas.width - width) / 2)
            canvas.draw(line, x: x, y: top + offset, style: offset == 0 ? Style(.warning, [.bold]) : .plain)
        }
    }
}
