import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Templates")
struct TemplateTests {
    private func render(_ source: String, preservingSecrets: Bool = true) throws -> JSONValue {
        try Template(parsing: source).render(in: sampleScope, preservingSecrets: preservingSecrets)
    }

    @Test("a lone expression keeps its type")
    func typedValue() throws {
        #expect(try render("${input.total}") == 250)
        #expect(try render("${input.tags}") == ["new", "vip"])
        #expect(try render("${ validation }") == ["tier": "gold", "score": 7])
        #expect(try render("${input.nothing}") == .null)
    }

    @Test("mixed text interpolates values")
    func interpolation() throws {
        #expect(try render("Hello ${input.name}, tier ${validation.tier}!") == "Hello Ada, tier gold!")
        #expect(try render("total=${input.total} price=${input.price}") == "total=250 price=19.5")
        #expect(try render("tags: ${input.tags}") == "tags: [\"new\",\"vip\"]")
        #expect(try render("flag ${true} map ${ {'a': 1} }") == "flag true map {\"a\":1}")
        #expect(try render(" ${input.total}") == " 250")
    }

    @Test("null interpolates as empty text")
    func nullInterpolation() throws {
        #expect(try render("[${input.nothing}]") == "[]")
    }

    @Test("plain text, lone dollars and escapes")
    func escapes() throws {
        #expect(try render("no expressions") == "no expressions")
        #expect(try render("") == "")
        #expect(try render("costs $5 or ${input.total}$") == "costs $5 or 250$")
        #expect(try render("literal $${input.total}") == "literal ${input.total}")
        #expect(try render("$${") == "${")
        #expect(try Template(parsing: "$${x}").expressions.isEmpty)
    }

    @Test("braces inside string literals do not end the expression")
    func bracesInStrings() throws {
        #expect(try render("${'}' + '{'}") == "}{")
        #expect(try render("x${ {'k': '}'}.k }y") == "x}y")
    }

    @Test("unterminated `${` is a syntax error at its offset")
    func unterminated() {
        let error = templateFailure("abc ${input.total")
        #expect(error?.code == .syntax)
        #expect(error?.offset == 4)
        #expect(templateFailure("${'}")?.code == .syntax)
    }

    @Test("errors inside expressions carry template offsets")
    func errorOffsets() {
        let error = templateFailure("Hi ${1 + 'a'}")
        #expect(error?.code == .type)
        #expect(error?.offset == 7)
        #expect(templateFailure("Hi ${}")?.code == .syntax)
        #expect(templateFailure("${lenght(input.tags)}")?.offset == 2)
    }

    @Test("template expressions obey maxLength")
    func expressionLength() {
        let source = "${'" + String(repeating: "x", count: 5000) + "'}"
        #expect(templateFailure(source)?.code == .tooLong)
    }

    @Test("secrets are preserved verbatim, even as the only part")
    func secretsPreserved() throws {
        #expect(try render("${secret.TOKEN}") == "${secret.TOKEN}")
        #expect(try render("Bearer ${ secret.TOKEN }") == "Bearer ${secret.TOKEN}")
        #expect(try render("${secret.TOKEN}", preservingSecrets: false) == "s3cr3t")
        #expect(try render("k=${secret.TOKEN}", preservingSecrets: false) == "k=s3cr3t")
    }

    @Test("secrets cannot be computed with while preserved")
    func secretsNotComputed() throws {
        let error = templateFailure("x ${'Bearer ' + secret.TOKEN}")
        #expect(error?.code == .syntax)
        #expect(error?.message.contains("${secret.NAME}") == true)
        #expect(templateFailure("${secret['TOKEN']}")?.code == .syntax)
        #expect(try render("${'Bearer ' + secret.TOKEN}", preservingSecrets: false) == "Bearer s3cr3t")
    }

    @Test("secretReferences finds the names of preserved secrets")
    func secretReferences() {
        #expect(Template.secretReferences(in: "Bearer ${secret.TOKEN} and ${secret.API_KEY} ${secret.TOKEN}") == ["TOKEN", "API_KEY"])
        #expect(Template.secretReferences(in: "${secret.} ${secret.X ${input.a}") == [])
        #expect(Template.secretReferences(in: "plain") == [])
    }

    @Test("isPlain and expressions")
    func introspection() throws {
        #expect(Template.isPlain("hello $ world"))
        #expect(!Template.isPlain("hello ${x}"))
        let template = try Template(parsing: "${input.a} and ${validation.tier}")
        #expect(template.expressions.map(\.source) == ["input.a", "validation.tier"])
        #expect(template.expressions.flatMap(\.referencedRoots).sorted() == ["input", "validation"])
        #expect(template.source == "${input.a} and ${validation.tier}")
    }

    @Test("renderValue walks nested values and leaves keys alone")
    func renderValue() throws {
        let value: JSONValue = [
            "${key}": "${input.total}",
            "list": ["a ${input.name}", 3, nil, ["deep": "${validation.tier}"]],
            "auth": "Bearer ${secret.TOKEN}",
            "plain": "no templates",
        ]
        let rendered = try Template.renderValue(value, in: sampleScope)
        #expect(rendered == [
            "${key}": 250,
            "list": ["a Ada", 3, nil, ["deep": "gold"]],
            "auth": "Bearer ${secret.TOKEN}",
            "plain": "no templates",
        ])
    }

    @Test("renderValue surfaces errors")
    func renderValueError() {
        #expect(throws: ExpressionError.self) {
            try Template.renderValue(["a": ["${1 / 0}"]], in: sampleScope)
        }
    }
}
