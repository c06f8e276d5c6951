import Testing
@testable import WorkflowDSL

@Suite("Parse errors")
struct ParseErrorTests {
    @Test func everyProblemIsReportedAtOnceWithPositions() {
        let source = """
            apiVersion: lazyrabbit/v1
            name: broken
            start: validate
            states:
              validate:
                type: task
                callback: { type: http, url: "https://example.com" }
                nxt: done
                retry: { max_attempts: "three" }
              done:
                type: succed
            """
        let diagnostics = Fixtures.load(source).diagnostics
        let unknown = diagnostics.first { $0.code == "unknown_field" }
        #expect(unknown?.message == "unknown field `nxt` in state `validate`")
        #expect(unknown?.hint == "did you mean `next`?")
        #expect(unknown?.path == "states.validate.nxt")
        #expect(unknown?.line == 8 && unknown?.column == 5)
        let wrongType = diagnostics.first { $0.code == "invalid_type" }
        #expect(wrongType?.message == "`max_attempts` must be an integer, got string")
        #expect(wrongType?.path == "states.validate.retry.max_attempts")
        #expect(wrongType?.line == 9 && wrongType?.column == 28)
        let type = diagnostics.first { $0.code == "unknown_state_type" }
        #expect(type?.hint == "did you mean `succeed`?")
        #expect(type?.line == 11 && type?.column == 11)
        #expect(diagnostics.map(\.line) == diagnostics.map(\.line).sorted { ($0 ?? .max) < ($1 ?? .max) })
    }

    @Test func missingRequiredFields() {
        let codes = Fixtures.load("apiVersion: lazyrabbit/v1\nstates: {}\n").diagnostics.filter { $0.code == "missing_field" }.map(\.path)
        #expect(codes.contains("name"))
        #expect(codes.contains("start"))
    }

    @Test func missingCallbackFields() {
        let states = """
              first: { type: task, callback: { type: http }, next: done }
              done: { type: fail }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "missing_field" }
        #expect(diagnostics.map(\.path) == ["states.first.callback.url", "states.done.error"])
        #expect(diagnostics.first?.message == "the callback is missing the required field `url`")
    }

    @Test func unknownCallbackTypeWithHint() {
        let states = "  first: { type: task, callback: { type: htpp, url: x }, end: true }"
        let diagnostic = Fixtures.first("unknown_callback_type", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.message == "unknown callback type `htpp`")
        #expect(diagnostic?.hint == "did you mean `http`?")
        #expect(diagnostic?.path == "states.first.callback.type")
    }

    @Test func unknownStateTypeWithoutCloseMatchListsTypes() {
        let diagnostic = Fixtures.first("unknown_state_type", in: Fixtures.minimal(states: "  first: { type: banana, end: true }"))
        #expect(diagnostic?.hint?.hasPrefix("state types are task, choice") == true)
    }

    @Test func unknownStateTypeDoesNotCascade() {
        let codes = Fixtures.codes(Fixtures.minimal(states: "  first: { type: pas, next: done }\n  done: { type: succeed }"))
        #expect(codes == ["unknown_state_type"])
    }

    @Test func badDuration() {
        let diagnostic = Fixtures.first("invalid_duration", in: Fixtures.minimal(states: "  first: { type: wait, duration: 5 minutes, end: true }"))
        #expect(diagnostic?.message == "`duration` must be a duration, got `5 minutes`")
        #expect(diagnostic?.line == 5 && diagnostic?.column == 34)
        #expect(diagnostic?.hint?.contains("1h30m") == true)
        #expect(Fixtures.codes(Fixtures.minimal(states: "  first: { type: wait, duration: 1.5h, end: true }")) == ["invalid_duration"],
                "reported once, not again as a wait without a mode")
    }

    @Test func aDurationOverAHundredYearsIsRefused() {
        let diagnostic = Fixtures.first("invalid_duration", in: Fixtures.minimal(states: "  first: { type: wait, duration: 36501d, end: true }"))
        #expect(diagnostic?.message == "`duration` must be at most 36500d (100 years), got `36501d`")
        #expect(diagnostic?.line == 5 && diagnostic?.column == 34)
        #expect(Fixtures.first("invalid_duration", in: Fixtures.minimal(states: "  first: { type: wait, duration: 36500d, end: true }")) == nil)
    }

    @Test func invalidEnumValues() {
        let states = """
              first: { type: task, callback: { type: log, message: hi, level: warn }, retry: { max_attempts: 2, backoff: linear }, end: true }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "invalid_value" }
        #expect(diagnostics.map(\.path) == ["states.first.callback.level", "states.first.retry.backoff"])
        #expect(diagnostics.first?.hint == "did you mean `warning`?")
    }

    @Test func yamlSyntaxErrorHasPosition() {
        let source = "apiVersion: lazyrabbit/v1\nname: x\nstates:\n  a: { type: pass\n  b: 1\n"
        let result = Fixtures.load(source)
        #expect(result.definition == nil)
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.code == "yaml_syntax")
        #expect(diagnostic?.line != nil && diagnostic?.column != nil)
    }

    @Test func emptyDocument() {
        #expect(Fixtures.codes("") == ["empty_document"])
    }

    @Test func rootMustBeAMapping() {
        #expect(Fixtures.codes("- a\n- b\n") == ["invalid_type"])
    }

    @Test func aliasesAreRefused() {
        let source = """
            apiVersion: lazyrabbit/v1
            name: lol
            start: a
            states:
              a: &base { type: pass, next: b }
              b: *base
            """
        let diagnostics = Fixtures.load(source).diagnostics.filter { $0.code == "alias_not_allowed" }
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("&base") == true)
    }

    @Test func billionLaughsStaysCheap() {
        var source = "apiVersion: lazyrabbit/v1\nname: lol\nstart: a\nlol0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            source += "lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let result = Fixtures.load(source)
        #expect(result.diagnostics.contains { $0.code == "alias_not_allowed" })
        #expect(!result.isValid)
    }

    @Test func duplicateStateNamesInOneMapping() {
        let source = """
            apiVersion: lazyrabbit/v1
            name: dup
            start: a
            states:
              a: { type: pass, next: b }
              b: { type: succeed }
              a: { type: fail, error: x }
            """
        let diagnostic = Fixtures.first("duplicate_state", in: source)
        #expect(diagnostic?.message == "state `a` is defined twice (first at line 5)")
        #expect(diagnostic?.line == 7 && diagnostic?.column == 3)
        #expect(Fixtures.load(source).definition?.graph.states["a"]?.typeName == "pass")
    }

    @Test func duplicateKeysAnywhereAndParsingGoesOn() {
        let source = """
            apiVersion: lazyrabbit/v1
            name: dup
            name: again
            start: a
            states:
              a: { type: pass, next: b, next: b }
              b: { type: succeed, colour: blue }
            """
        let diagnostics = Fixtures.load(source).diagnostics
        let duplicates = diagnostics.filter { $0.code == "duplicate_key" }
        #expect(duplicates.map(\.path) == ["name", "states.a.next"])
        #expect(duplicates.first?.message == "field `name` appears twice in the workflow document (first at line 2)")
        #expect(duplicates.first?.line == 3)
        #expect(diagnostics.contains { $0.code == "unknown_field" && $0.path == "states.b.colour" })
    }

    @Test func duplicateKeysInJSON() {
        let json = #"{"apiVersion": "lazyrabbit/v1", "name": "j", "start": "a", "states": {"a": {"type": "succeed"}, "a": {"type": "succeed"}}}"#
        let diagnostic = Fixtures.first("duplicate_state", in: json)
        #expect(diagnostic?.message == "state `a` is defined twice (first at line 1)")
        #expect(diagnostic?.column == 97)
    }

    /// Compact JSON has no space after a colon; the duplicate's recovery must keep it a key.
    @Test func duplicateKeysInCompactJSONAreNamed() {
        let json = #"{"apiVersion":"lazyrabbit/v1","name":"j","start":"a","states":{"a":{"type":"pass","type":"succeed","end":true}}}"#
        let diagnostics = Fixtures.load(json).diagnostics
        #expect(diagnostics.map(\.code) == ["duplicate_key"])
        #expect(diagnostics.first?.message == "field `type` appears twice in state `a` (first at line 1)")
        #expect(diagnostics.first?.column == 83)
    }

    @Test func wrongTypesForContainers() {
        let states = "  first: { type: choice, choices: yes, default: done }\n  done: { type: succeed }"
        let diagnostic = Fixtures.first("invalid_type", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.message == "`choices` must be a list, got boolean")
    }

    @Test func choiceNeedsExactlyOneOfWhenOrAI() {
        let states = "  first: { type: choice, choices: [ { when: \"true\", ai: why, next: done } ] }\n  done: { type: succeed }"
        #expect(Fixtures.codes(Fixtures.minimal(states: states)).contains("invalid_choice"))
    }

    @Test func topLevelUnknownFieldHint() {
        let source = Fixtures.minimal() + "\non_eror: { strategy: fail }"
        let diagnostic = Fixtures.first("unknown_field", in: source)
        #expect(diagnostic?.hint == "did you mean `on_error`?")
    }
}
