import Testing

@testable import TerminalUI

@Suite struct ThemeTests {
    @Test func noColorInAnyFormMeansMonochrome() {
        #expect(ColorMode.from(environment: ["NO_COLOR": ""], noColorFlag: false) == .monochrome)
        #expect(ColorMode.from(environment: ["NO_COLOR": "1"], noColorFlag: false) == .monochrome)
        #expect(ColorMode.from(environment: [:], noColorFlag: true) == .monochrome)
        #expect(ColorMode.from(environment: ["TERM": "xterm"], noColorFlag: false) == .automatic)
    }

    @Test func depthFollowsTheTerminal() {
        #expect(Theme.choose(mode: .automatic, terminalColors: 256).depth == .extended256)
        #expect(Theme.choose(mode: .automatic, terminalColors: 8).depth == .eight)
        #expect(Theme.choose(mode: .automatic, terminalColors: 0).depth == .none)
        #expect(Theme.choose(mode: .monochrome, terminalColors: 256).depth == .none)
    }

    @Test func monochromeUsesNoColorPairsButKeepsEmphasis() {
        let theme = Theme(depth: .none)
        for color in ThemeColor.allCases {
            #expect(theme.pair(color) == 0)
        }
        #expect(theme.extraAttributes(.negative).contains(.bold))
        #expect(theme.extraAttributes(.warning).contains(.bold))
        #expect(theme.extraAttributes(.muted) == [.dim])
    }

    @Test func colorsKeepTheTerminalBackgroundAndDistinctPairs() {
        for theme in [Theme(depth: .eight), Theme(depth: .extended256)] {
            #expect(theme.pair(.normal) == 0)
            let pairs = ThemeColor.allCases.map(theme.pair).filter { $0 != 0 }
            #expect(Set(pairs).count == pairs.count)
            for color in ThemeColor.allCases { #expect(theme.foreground(color) < (theme.depth == .eight ? 8 : 256)) }
        }
    }
}
