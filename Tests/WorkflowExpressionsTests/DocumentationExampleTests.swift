import Testing
import WorkflowExpressions
import WorkflowJSON

/// The examples in docs/expressions.md, kept honest.
@Suite("Documentation examples")
struct DocumentationExampleTests {
    private let scope = EvaluationScope(
        variables: [
            "input": [
                "total": 250, "lines": [["sku": "X9"]], "email": "ada@example.com", "country": "DE",
                "tags": ["eu"], "quantity": "3", "id": "o-1", "customer": ["name": "Ada"],
            ],
            "context": ["validation": ["tier": "gold"]],
        ],
        now: fixedNow)

    @Test(
        "expression examples",
        arguments: [
            ("input.total > 100 && validation.tier in ['gold', 'platinum']", JSONValue.bool(true)),
            ("size(input.lines) > 0 ? input.lines[0].sku : 'none'", "X9"),
            ("input.email.matches('^[^@]+@example\\\\.com$')", true),
            ("lower(input.country) == 'de' || 'eu' in input.tags", true),
            ("int(input.quantity) * 2", 6),
            ("string(now()).startsWith('2024-')", true),
            ("'Order ' + input.id + ' for ' + input.customer.name", "Order o-1 for Ada"),
            ("-7 % 3", -1),
        ])
    func expressions(source: String, expected: JSONValue) throws {
        #expect(try evaluate(source, in: scope) == expected)
    }

    @Test("template examples")
    func templates() throws {
        #expect(try Template(parsing: "Total: ${input.total * 1.2}").render(in: scope) == "Total: 300")
        #expect(try Template(parsing: "Price in $${currency}").render(in: scope) == "Price in ${currency}")
        #expect(try Template(parsing: "${input.total}").render(in: scope) == 250)
    }

    @Test("a rendered template larger than maxValueSize fails")
    func renderedSize() {
        let limits = ExpressionLimits(maxValueSize: 10)
        #expect(throws: ExpressionError.self) {
            try Template(parsing: "0123456789 ${input.total}").render(in: scope, limits: limits)
        }
    }
}
