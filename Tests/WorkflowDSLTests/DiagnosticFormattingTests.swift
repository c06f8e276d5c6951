import Testing
@testable import WorkflowDSL

@Suite("Diagnostics")
struct DiagnosticFormattingTests {
    @Test func jsonErrorsHavePositions() {
        let json = """
            {
              "apiVersion": "lazyrabbit/v1",
              "name": "j",
              "start": "a",
              "states": {
                "a": {"type": "pass", "nxt": "b"},
                "b": {"type": "succeed"}
              }
            }
            """
        let diagnostic = Fixtures.first("unknown_field", in: json)
        #expect(diagnostic?.line == 6 && diagnostic?.column == 27)
        #expect(diagnostic?.hint == "did you mean `next`?")
    }

    @Test func compilerStyleFormatting() {
        let diagnostic = Diagnostic(code: "unknown_field", message: "unknown field `nxt` in state `validate`", path: "states.validate.nxt",
                                    line: 8, column: 5, hint: "did you mean `next`?")
        #expect(diagnostic.formatted(file: "flow.yaml") == """
            flow.yaml:8:5: error: unknown field `nxt` in state `validate` [states.validate.nxt]
                hint: did you mean `next`?
            """)
    }

    @Test func duplicateKeysInsideSequenceItems() {
        let states = """
              first:
                type: choice
                choices:
                  - when: "true"
                    next: done
                    next: first
                default: done
              done: { type: succeed }
            """
        let diagnostic = Fixtures.first("duplicate_key", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.first.choices[0].next")
        #expect(diagnostic?.line == 10 && diagnostic?.column == 9)
        #expect(diagnostic?.message.hasSuffix("(first at line 9)") == true)
    }

    @Test func manyDuplicatesAreAllReported() {
        let states = (1...5).map { "  s\($0): { type: succeed }\n  s\($0): { type: succeed }" }.joined(separator: "\n")
        let duplicates = Fixtures.load(Fixtures.minimal(states: states, start: "s1")).diagnostics.filter { $0.code == "duplicate_state" }
        #expect(duplicates.count == 5)
    }

    @Test func suggestionDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.closest(to: "nxt", in: ["next", "end"]) == "next")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["next", "end"]) == nil)
        #expect(Suggestion.closest(to: "warn", in: ["debug", "info", "warning", "error"]) == "warning")
    }

    @Test func diagnosticsAreSortedByLine() {
        let states = """
              first: { type: pass, bogus: 1, next: second }
              second: { type: wait, duration: forever, next: done }
              done: { type: succeed, next: first }
            """
        let lines = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.compactMap(\.line)
        #expect(lines.count >= 3)
        #expect(lines == lines.sorted())
    }
}
