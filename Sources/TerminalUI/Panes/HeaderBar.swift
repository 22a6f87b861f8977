import RoleEditor

/// The top row: program name, organization, the counts in words, sort, filter, marks, pending edits,
/// and a progress gauge while pages of users arrive.
enum HeaderBar {
    /// From this width the header starts with the program's name.
    static let badgeFromWidth = 60

    static func draw(_ state: EditorState, into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        var gauge: [Span] = []
        let progress = state.list.progress
        if progress.isLoading, let total = progress.total, total > 0, area.width >= 60 {
            let fraction = min(1.0, Double(progress.loaded) / Double(total))
            let cells = 10
            let filled = Int((fraction * Double(cells)).rounded(.down))
            gauge = [
                Span(
                    "▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled) + "▏",
                    Style(.info)),
                Span(" \(Int(fraction * 100))%", Style(.info)),
            ]
        }
        let gaugeWidth = gauge.reduce(0) { $0 + TextWidth.width($1.text) }
        // Below 60 columns the program's name gives its room to the counts, which then read the same
        // at every width.
        var spans = area.width >= badgeFromWidth ? [Span(" atlas-roles ", Style(.accent, [.bold, .reverse]))] : []
        spans.append(Span(" " + state.headerText))
        if !state.list.filterText.isEmpty && !state.list.isEditingFilter {
            spans.append(Span("  filter: ", Style(.muted)))
            spans.append(Span(SafeText.sanitized(state.list.filterText), Style(.accent)))
        }
        canvas.draw(spans, x: area.x, y: area.y, maxWidth: area.width - (gaugeWidth > 0 ? gaugeWidth + 1 : 0))
        if gaugeWidth > 0 {
            canvas.draw(gauge, x: area.maxX - gaugeWidth, y: area.y)
        }
    }
}
