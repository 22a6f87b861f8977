import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// The key table is the one source of dispatch, help and hints: these fail when the three drift apart,
/// or when README.md's key table does.
@Suite struct KeyBindingTests {
    /// Every key a binding names is written in the help entry that explains it, and every entry of the
    /// overlay's contexts is drawn whole in the `?` overlay of an 80×24 terminal.
    @Test func everyBoundKeyIsInTheHelp() {
        var state = Fixtures.loaded()
        Fixtures.apply([.help], to: &state)
        // The help is taller than 24 rows: every line is drawn whole at some scroll position.
        var overlay: [String] = []
        for top in 0...HelpOverlay.maximumTop(width: 80, height: 24) {
            Fixtures.apply([.scrollHelp(to: top)], to: &state)
            overlay += Fixtures.render(state, 80, 24).lines
        }
        for line in HelpOverlay.lines where !line.isEmpty {
            #expect(overlay.contains { $0.contains(line) }, "help line not drawn at 80×24: \(line)")
        }
        #expect(overlay.contains { $0.contains(HelpOverlay.footer(scrolls: true)) })
        for binding in KeyBinding.table {
            let words = Self.words(of: binding.help)
            for key in Self.keysHelpMustName(binding) {
                #expect(words.contains(key.name), "\(key.name) is bound but not named in help \"\(binding.help)\"")
            }
            if binding.contexts.contains(.prompt) || binding.contexts.contains(.typedAnswer)
                || binding.contexts.contains(.helpOverlay) || binding.contexts.contains(.inviteForm)
            {
                continue
            }
            #expect(HelpOverlay.entries.contains(binding.help), "no help entry for \(binding.help.label)")
        }
    }

    /// A prompt's keys are listed in its box, which is the help while it has the keyboard.
    @Test func everyPromptKeyIsInThePromptBox() {
        var state = Scenarios.list(columns: 80, rows: 24)
        Fixtures.apply([.quit], to: &state)
        let frame = Fixtures.render(state, 80, 24).lines
        let promptBindings = KeyBinding.table.filter { $0.contexts.contains(.prompt) }
        #expect(promptBindings.count == 2)
        for binding in promptBindings {
            #expect(frame.contains { $0.contains("\(binding.help.label): \(binding.help.text)") })
        }
        #expect(
            frame.contains { $0.contains("Quit with 1 pending edit? They stay saved as a draft for next time. (y/n)") })
    }

    /// A hint names only keys that do something in the pane it is shown in, and shows only in panes
    /// where its own binding applies.
    @Test func hintsNameOnlyKeysBoundInTheirPane() {
        for binding in KeyBinding.table {
            guard let hint = binding.hint else { continue }
            #expect(!hint.panes.isEmpty, "hint \(hint.line) shows nowhere")
            for pane in hint.panes {
                #expect(
                    binding.contexts.contains(.pane(pane)), "hint \(hint.line) in \(pane), where its key is not bound")
                for key in hint.keys {
                    #expect(
                        KeyMap.command(for: key, in: .pane(pane)) != .ignored,
                        "hint \(hint.line) names \(key.name), unbound in \(pane)")
                }
            }
        }
        for pane in Pane.allCases {
            #expect(!KeyText.hints(in: pane).isEmpty, "no hints in \(pane)")
        }
    }

    /// A key means one thing per context, and no context rebinds a key that works anywhere (it would
    /// never reach that binding).
    @Test func noKeyIsBoundTwiceInAContext() {
        let contexts: [KeyContext] =
            [.anywhere, .prompt, .tooSmall, .helpOverlay, .filterLine] + KeyContext.panes
        let anywhereKeys = Set(KeyBinding.table.filter { $0.contexts.contains(.anywhere) }.flatMap(\.trigger.keys))
        for context in contexts {
            let bindings = KeyBinding.table.filter { $0.contexts.contains(context) }
            var seen: Set<Key> = []
            for key in bindings.flatMap(\.trigger.keys) {
                #expect(seen.insert(key).inserted, "\(key.name) bound twice in \(context)")
                if context != .anywhere { #expect(!anywhereKeys.contains(key), "\(key.name) shadowed in \(context)") }
            }
            #expect(bindings.filter { $0.trigger == .anyKey || $0.trigger == .anyCharacter }.count <= 1)
        }
    }

    /// The hints as the status line draws them: highest priority first, whole hints only.
    @Test func hintLineKeepsWholeHintsInPriorityOrder() {
        #expect(
            KeyText.hintLine(in: .users, width: 200)
                == "j/k move  / filter  Space mark  Enter edit  s review  u undo  r reload  ? help  q quit  U clear marks"
        )
        #expect(
            KeyText.hintLine(in: .users, width: 79)
                == "j/k move  / filter  Space mark  Enter edit  s review  u undo  r reload  ? help")
        #expect(KeyText.hintLine(in: .users, width: 20) == "j/k move  / filter")
        #expect(
            KeyText.hintLine(in: .review, width: 200)
                == "y/Enter apply  n/Esc back  R retry failed  b re-base conflicts  d drop edit  u undo  Ctrl-R redo")
        #expect(
            KeyText.hintLine(in: .checklist, width: 200) == "j/k move  Space toggle  Enter/Esc back  s review  u undo")
        #expect(KeyText.hintLine(in: .orgPicker, width: 200) == "j/k move  Enter open  r reload  q quit")
        #expect(KeyText.hintLine(in: .journal, width: 200) == "j/k move  Enter open run / revert it  Esc back")
        #expect(Fixtures.render(Fixtures.loaded(), 80, 24).lines[23].hasPrefix(" j/k move  / filter"))
    }

    /// Every step a message may suggest has a key whose hint words it, and that key takes the step.
    @Test(arguments: NextStep.allCases) func nextStepsAreWordedWithTheirKey(step: NextStep) throws {
        let binding = try #require(
            KeyBinding.table.first { $0.command == .action(step.action) && $0.hint != nil }, "no hinted key for \(step)"
        )
        let key = try #require(binding.trigger.keys.first)
        #expect(KeyText.step(for: step, in: .review) == key.name + " " + (binding.hint?.text ?? ""))
        let pane = try #require(binding.hint?.panes.first)
        #expect(KeyMap.command(for: key, in: .pane(pane)) == .action(step.action))
    }

    @Test func flashesNameTheKeysOfTheirNextSteps() {
        let conflict = Fixtures.render(Scenarios.reviewWithConflict(columns: 80, rows: 24), 80, 24).lines[23]
        #expect(conflict == " applied 0, conflicts 1; b re-base conflicts")
        let refusal = Fixtures.render(Scenarios.reviewWithRefusal(columns: 80, rows: 24), 80, 24).lines[23]
        // A refusal would be refused again: no retry is offered for it.
        #expect(refusal == " applied 1, refused 1, failed 0")
        var restored = Scenarios.draftPrompt(columns: 80, rows: 24)
        Fixtures.apply([.answerPrompt(true)], to: &restored)
        #expect(Fixtures.render(restored, 80, 24).lines[23] == " restored 1 pending edit(s); s review")
    }

    /// What a pane says to do next names the key that does it, while typing and after.
    @Test func paneMessagesNameTheirKeys() {
        var typing = Fixtures.loaded()
        Fixtures.apply([.filterBegin, .filterInput("nobody")], to: &typing)
        #expect(Fixtures.render(typing, 80, 24).lines.contains { $0.contains("Esc clears the filter.") })
        #expect(KeyMap.command(for: .escape, in: typing) == .action(.filterCancel))
        var kept = typing
        Fixtures.apply([.filterCommit], to: &kept)
        #expect(Fixtures.render(kept, 80, 24).lines.contains { $0.contains("Esc clears the filter.") })
        #expect(KeyMap.command(for: .escape, in: kept) == .action(.back))
        var failed = Fixtures.loaded([])
        Fixtures.apply(
            [.usersLoadFailed(AtlasError(.transport(curlCode: 7, message: "refused")), generation: 1)], to: &failed)
        #expect(Fixtures.render(failed, 80, 24).lines.contains { $0.contains("r reloads") })
        #expect(KeyMap.command(for: .character("r"), in: failed) == .action(.reload))
    }

    @Test func aTooSmallTerminalOnlyQuitsRedrawsAndSuspends() {
        var state = Fixtures.loaded()
        #expect(KeyMap.command(for: .character("q"), in: state, terminalTooSmall: true) == .action(.quit))
        #expect(KeyMap.command(for: .character("j"), in: state, terminalTooSmall: true) == .ignored)
        #expect(KeyMap.command(for: .control("l"), in: state, terminalTooSmall: true) == .redraw)
        #expect(KeyMap.command(for: .control("z"), in: state, terminalTooSmall: true) == .suspend)
        // Even with the filter being typed, q leaves: nothing of the filter is visible.
        Fixtures.apply([.filterBegin], to: &state)
        #expect(KeyMap.command(for: .character("q"), in: state, terminalTooSmall: true) == .action(.quit))
        // A prompt still takes its answer: quitting with pending edits asks even on a tiny terminal.
        var prompting = Scenarios.list(columns: 80, rows: 24)
        Fixtures.apply([.quit], to: &prompting)
        #expect(
            KeyMap.command(for: .character("y"), in: prompting, terminalTooSmall: true) == .action(.answerPrompt(true)))
        #expect(Fixtures.render(Fixtures.loaded(), 30, 8).lines.contains { $0.contains("enlarge it, or q to quit") })
    }

    /// README.md's `## Keys` table lists the overlay's entries, with the same labels (backticks aside),
    /// and names every bound key.
    @Test func readmeKeyTableFollowsTheTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let rows = try Self.keyTableRows(of: String(contentsOf: readme, encoding: .utf8))
        let readmeLabels = rows.map(\.key)
        let labels = HelpOverlay.entries.map(\.label)
        #expect(readmeLabels == labels, "README.md's key column differs from the help's labels")
        let named = Set(rows.flatMap { Self.words(of: $0.key + " " + $0.action) })
        let bound = KeyBinding.table.filter { !$0.contexts.contains(.helpOverlay) }.flatMap(Self.keysHelpMustName)
        for key in bound { #expect(named.contains(key.name), "README.md's key table does not name \(key.name)") }
    }

    // MARK: Helpers

    /// The keys a binding's help must name: a capital letter bound beside its lower case to the same
    /// command is written once, as the lower case ("y / Enter" covers Y).
    static func keysHelpMustName(_ binding: KeyBinding) -> [Key] {
        let keys = binding.trigger.keys
        return keys.filter { key in
            guard case .character(let character) = key, character.isUppercase,
                let lower = character.lowercased().first
            else { return true }
            return !keys.contains(.character(lower))
        }
    }

    /// The words of a help entry, as keys are written: "g/G," gives "g" and "G"; "/" stays "/".
    static func words(of help: KeyHelp) -> Set<String> {
        words(of: ([help.label, help.text] + help.details).joined(separator: " "))
    }

    static func words(of text: String) -> Set<String> {
        var words: Set<String> = []
        for token in text.split(whereSeparator: \.isWhitespace) {
            let trimmed = token.trimmingCharacters(in: CharacterSet(charactersIn: ",;:()`"))
            guard !trimmed.isEmpty else { continue }
            words.insert(trimmed)
            if trimmed.count > 1 {
                for part in trimmed.split(separator: "/") { words.insert(String(part)) }
            }
        }
        return words
    }

    /// The rows of the markdown table under `## Keys`: key column (backticks removed) and action.
    static func keyTableRows(of markdown: String) throws -> [(key: String, action: String)] {
        let lines = markdown.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "## Keys"), "README.md has no ## Keys section")
        let table = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        // The header row and the separator row come first.
        return table.dropFirst(2).map { row in
            let cells = row.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return (key: cells[1].replacingOccurrences(of: "`", with: ""), action: cells.count > 2 ? cells[2] : "")
        }
    }
}
