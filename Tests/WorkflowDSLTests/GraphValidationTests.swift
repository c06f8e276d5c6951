import Testing
@testable import WorkflowDSL

@Suite("Graph checks")
struct GraphValidationTests {
    @Test func validMinimalDocument() {
        #expect(Fixtures.load(Fixtures.minimal()).isValid)
    }

    @Test func undefinedStartWithHint() {
        let diagnostic = Fixtures.first("undefined_start", in: Fixtures.minimal(start: "frist"))
        #expect(diagnostic?.message == "the start state `frist` does not exist")
        #expect(diagnostic?.hint == "did you mean `first`?")
        #expect(diagnostic?.line == 3)
    }

    @Test func undefinedTargetsEverywhere() {
        let states = """
              first:
                type: choice
                choices: [ { when: "true", next: secnd } ]
                default: nowhere
              second: { type: task, callback: { type: log, message: hi }, catch: [ { errors: ["*"], next: oops } ], next: done }
              done: { type: succeed }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "undefined_target" }
        #expect(diagnostics.map(\.path) == ["states.first.choices[0].next", "states.first.default", "states.second.catch[0].next"])
        #expect(diagnostics.first?.hint == "did you mean `second`?")
        #expect(diagnostics.first?.line == 7)
    }

    /// An optional target written empty fails only when taken: it is refused up front (a hunt found
    /// `next: ""`, `default: ""` and `on_no_answer: ""` valid); a required one reports its absence once.
    @Test func emptyTargetsAreRefused() {
        let states = """
              first:
                type: choice
                choices: [ { when: "true", next: done }, { when: "", next: done } ]
                default: ""
              second: { type: pass, next: "" }
              done: { type: succeed }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics
        #expect(diagnostics.filter { $0.code == "undefined_target" }.map(\.path) == ["states.first.default", "states.second.next"])
        #expect(diagnostics.filter { $0.code == "invalid_expression" }.map(\.path) == ["states.first.choices[1].when"])
        let missing = Fixtures.load(Fixtures.minimal(states: "  first: { type: choice, choices: [ { when: \"true\" } ], default: done }\n  done: { type: succeed }"))
        #expect(missing.diagnostics.map(\.code) == ["missing_field"], "\(missing.diagnostics)")
    }

    @Test func targetInAnotherGraphIsExplained() {
        let states = """
              first:
                type: parallel
                branches:
                  - { start: inner, states: { inner: { type: pass, next: done } } }
                next: done
              done: { type: succeed }
            """
        let diagnostic = Fixtures.first("undefined_target", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.first.branches[0].states.inner.next")
        #expect(diagnostic?.hint?.contains("another graph") == true)
    }

    @Test func unreachableStateIsAnError() {
        let states = "  first: { type: pass, next: done }\n  orphan: { type: pass, next: done }\n  done: { type: succeed }"
        let diagnostic = Fixtures.first("unreachable_state", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.severity == .error)
        #expect(diagnostic?.path == "states.orphan")
        #expect(diagnostic?.line == 6)
    }

    @Test func fallbackStateCountsAsReachable() {
        let source = Fixtures.minimal(states: "  first: { type: pass, next: done }\n  done: { type: succeed }\n  failed: { type: fail, error: boom }")
            + "\non_error: { strategy: fallback, fallback: failed }"
        #expect(Fixtures.load(source).isValid)
    }

    @Test func undefinedFallback() {
        let source = Fixtures.minimal() + "\non_error: { strategy: auto, fallback: dne }"
        #expect(Fixtures.first("undefined_target", in: source)?.path == "on_error.fallback")
    }

    @Test func cycleWithoutExitIsNamed() {
        let states = """
              first: { type: choice, choices: [ { when: "true", next: a } ], default: done }
              a: { type: pass, next: b }
              b: { type: pass, next: a }
              done: { type: succeed }
            """
        let diagnostic = Fixtures.first("cycle_without_exit", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.message == "the loop a → b → a has no way out")
        #expect(diagnostic?.path == "states.a")
        #expect(diagnostic?.line == 6)
    }

    @Test func cycleWithExitIsFine() {
        let states = """
              first: { type: pass, next: check }
              check:
                type: choice
                choices: [ { when: "context.count < 3", next: first } ]
                default: done
              done: { type: succeed }
            """
        #expect(Fixtures.load(Fixtures.minimal(states: states)).isValid)
    }

    @Test func selfLoopWithoutExit() {
        let states = """
              first: { type: choice, choices: [ { when: "true", next: spin } ], default: done }
              spin: { type: pass, next: spin }
              done: { type: succeed }
            """
        #expect(Fixtures.first("cycle_without_exit", in: Fixtures.minimal(states: states))?.message == "the loop spin → spin has no way out")
    }

    @Test func graphWithoutTerminal() {
        let states = "  first: { type: pass, next: second }\n  second: { type: pass, next: first }"
        let codes = Fixtures.codes(Fixtures.minimal(states: states))
        #expect(codes.contains("no_terminal_path"))
        #expect(codes.contains("cycle_without_exit"))
    }

    @Test func endTrueIsAnExit() {
        #expect(Fixtures.load(Fixtures.minimal(states: "  first: { type: pass, end: true }")).isValid)
    }

    @Test func catchEdgeIsAnExitFromALoop() {
        let states = """
              first: { type: task, callback: { type: log, message: again }, max_visits: 5, next: second, catch: [ { errors: [max_visits_exceeded], next: done } ] }
              second: { type: pass, next: first }
              done: { type: succeed }
            """
        #expect(Fixtures.load(Fixtures.minimal(states: states)).isValid)
    }

    @Test func branchesAndIteratorsAreCheckedToo() {
        let states = """
              first:
                type: map
                items: "input.items"
                iterator:
                  start: step
                  states:
                    step: { type: pass }
                    lost: { type: succeed }
                next: done
              done: { type: succeed }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics
        #expect(diagnostics.contains { $0.code == "missing_next" && $0.path == "states.first.iterator.states.step" })
        #expect(diagnostics.contains { $0.code == "unreachable_state" && $0.path == "states.first.iterator.states.lost" })
    }

    @Test func stateNamesAreUniqueAcrossTheDocument() {
        let states = """
              first:
                type: parallel
                branches:
                  - { start: done, states: { done: { type: succeed } } }
                next: done
              done: { type: succeed }
            """
        let diagnostic = Fixtures.first("duplicate_state", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.done")
        #expect(diagnostic?.message == "state `done` is defined twice (first at line 8)")
    }

    @Test func emptyStates() {
        #expect(Fixtures.codes(Fixtures.minimal(states: "  {}")).contains("empty_graph"))
    }
}
