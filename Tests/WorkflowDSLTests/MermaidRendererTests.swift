import Foundation
import Testing
@testable import WorkflowDSL

@Suite("Mermaid rendering")
struct MermaidRendererTests {
    @Test func smallWorkflowExactly() throws {
        let states = """
              ask-user: { type: task, callback: { type: http, method: POST, url: "https://x.example" }, next: route, catch: [ { errors: [timeout], next: failed } ] }
              route: { type: choice, choices: [ { when: "context.a > \\"b\\"", next: done } ], default: failed }
              done: { type: succeed }
              failed: { type: fail, error: boom }
            """
        let definition = try #require(Fixtures.load(Fixtures.minimal(states: states, start: "ask-user")).definition)
        #expect(MermaidRenderer.render(definition) == """
            flowchart TD
                start_1((" "))
                s_ask_user["ask-user · http POST"]
                s_route{"route · choice"}
                s_done(("done · succeed"))
                s_failed(("failed · fail: boom"))
                start_1 --> s_ask_user
                s_ask_user --> s_route
                s_ask_user -->|"catch timeout"| s_failed
                s_route -->|"context.a #gt; #quot;b#quot;"| s_done
                s_route -->|"default"| s_failed

            """)
    }

    @Test func subgraphsForParallelAndMap() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        let text = MermaidRenderer.render(definition)
        #expect(text.hasPrefix("flowchart TD\n"))
        #expect(text.contains("subgraph s_setup[\"setup · parallel\"]"))
        #expect(text.contains("subgraph s_setup_branch_1[\"branch 1\"]"))
        #expect(text.contains("start_2 --> s_welcome"))
        #expect(text.contains("subgraph s_each_line[\"each_line · map over input.lines\"]"))
        #expect(text.contains("s_line([\"line · workflow\"])"))
        #expect(text.contains("s_review -->|\"rejected\"| s_rejected"))
        #expect(text.contains("s_review -->|\"timeout\"| s_rejected"))
        #expect(text.contains("s_route -->|\"ai: Customer looks risky?\"| s_review"))
        #expect(text.contains("s_cool_off([\"cool_off · wait 1d\"])"))
        let subgraphs = text.components(separatedBy: "subgraph ").count - 1
        let ends = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces) == "end" }.count
        #expect(subgraphs == ends)
    }

    @Test func identifiersAreSanitisedAndUnique() {
        #expect(MermaidRenderer.identifier("a-b c.d") == "s_a_b_c_d")
        #expect(MermaidRenderer.escape("say \"hi\" <b> | #1") == "say #quot;hi#quot; #lt;b#gt; #124; #35;1")
        let definition = WorkflowDefinition(name: "x", graph: StateGraph(start: "a-b", states: [
            StateDefinition(name: "a-b", kind: .pass(result: nil), next: "a_b"),
            StateDefinition(name: "a_b", kind: .succeed(result: nil)),
        ]))
        let text = MermaidRenderer.render(definition)
        #expect(text.contains("s_a_b[\"a-b · pass\"]"))
        #expect(text.contains("s_a_b_2((\"a_b · succeed\"))"))
        #expect(text.contains("s_a_b --> s_a_b_2"))
    }
}
