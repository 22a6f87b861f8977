/// A run of adjacent changed cells on one row sharing one style: one `mvaddnwstr` call.
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var style: Style
    /// The glyphs to write, continuation cells left out (the terminal advances past them by itself).
    public var text: String
    /// Cells the run covers, continuation cells included.
    public var width: Int
}

extension Canvas {
    /// The runs that turn `previous` into this canvas: only changed cells, grouped per row and style.
    ///
    /// With no previous frame (or a different size, after a resize) every cell is a change.
    public func changes(from previous: Canvas?) -> [CellRun] {
        let full = previous == nil || previous?.width != width || previous?.height != height
        var runs: [CellRun] = []
        for row in 0..<height {
            var column = 0
            var current: CellRun?
            while column < width {
                let index = row * width + column
                let cell = cells[index]
                var changed = full || previous!.cells[index] != cell
                // A wide glyph is written whole: its continuation changing means the glyph must be rewritten,
                // and a glyph that changed takes its continuation with it.
                if !changed, cell.width == 2, column + 1 < width {
                    changed = previous!.cells[index + 1] != cells[index + 1]
                }
                if changed && cell.isContinuation {
                    // Its lead cell was handled (and written) just before; nothing to add.
                    column += 1
                    if current != nil { current!.width += 1 }
                    continue
                }
                if changed {
                    if var run = current, run.style == cell.style, run.x + run.width == column {
                        run.text += cell.text
                        run.width += Int(cell.width)
                        current = run
                    } else {
                        if let run = current { runs.append(run) }
                        current = CellRun(x: column, y: row, style: cell.style, text: cell.text, width: Int(cell.width))
                    }
                    column += max(1, Int(cell.width))
                } else {
                    if let run = current { runs.append(run) }
                    current = nil
                    column += 1
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
