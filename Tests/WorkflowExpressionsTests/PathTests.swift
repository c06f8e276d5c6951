import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Paths and variables")
struct PathTests {
    @Test("roots, fields, indexes and string keys")
    func access() throws {
        #expect(try evaluate("input.total") == 250)
        #expect(try evaluate("input.tags[1]") == "vip")
        #expect(try evaluate("input['name']") == "Ada")
        #expect(try evaluate("context.items[0].sku") == "A1")
        #expect(try evaluate("context['items'][1]['sku']") == "B2")
        #expect(try evaluate("input.tags[1 + 0]") == "vip")
    }

    @Test("bare identifiers resolve inside the fallback root")
    func fallbackRoot() throws {
        #expect(try evaluate("validation.tier") == "gold")
        #expect(try evaluate("validation.tier") == evaluate("context.validation.tier"))
        #expect(try evaluate("unknownThing") == .null)
    }

    @Test("a custom fallback root, and none at all")
    func otherFallbacks() throws {
        let custom = EvaluationScope(variables: ["item": ["n": 3]], fallbackRoot: "item", now: fixedNow)
        #expect(try evaluate("n * 2", in: custom) == 6)
        let strict = EvaluationScope(variables: ["input": 1], fallbackRoot: nil, now: fixedNow)
        let error = failure("tier", in: strict)
        #expect(error?.code == .unknownVariable)
        #expect(error?.message.contains("`input`") == true)
    }

    @Test("variables shadow the fallback root")
    func shadowing() throws {
        let scope = EvaluationScope(variables: ["item": "x", "index": 2, "context": ["item": "y"]], now: fixedNow)
        #expect(try evaluate("item + string(index)", in: scope) == "x2")
    }

    @Test("missing members and null bases yield null")
    func nullPropagation() throws {
        #expect(try evaluate("input.missing") == .null)
        #expect(try evaluate("input.missing.deeper.still") == .null)
        #expect(try evaluate("input.nothing[0]") == .null)
        #expect(try evaluate("input['missing']") == .null)
        #expect(try evaluate("input.tags[9]") == .null)
    }

    @Test("member access on a non-object is a type error at the field")
    func memberTypeError() {
        let error = failure("input.name.first")
        #expect(error?.code == .type)
        #expect(error?.message == "cannot read field `first` of a string")
        #expect(error?.offset == 11)
    }

    @Test("bad indexes are type errors")
    func indexErrors() {
        #expect(failure("input.tags[-1]")?.code == .type)
        #expect(failure("input.tags['a']")?.code == .type)
        #expect(failure("input.tags[1.0]")?.code == .type)
        #expect(failure("input[0]")?.code == .type)
        let error = failure("input.total[0]")
        #expect(error?.code == .type)
        #expect(error?.offset == 11)
    }

    @Test("keywords can be field names")
    func keywordFields() throws {
        let scope = EvaluationScope(variables: ["input": ["in": 1, "null": 2]], now: fixedNow)
        #expect(try evaluate("input.in + input.null", in: scope) == 3)
    }

    @Test("referencedRoots lists the roots read")
    func referencedRoots() throws {
        #expect(try Expression(parsing: "validation.tier == 'gold'").referencedRoots == ["validation"])
        #expect(try Expression(parsing: "input.x + context.y[item]").referencedRoots == ["input", "context", "item"])
        #expect(try Expression(parsing: "secret.TOKEN").referencedRoots == ["secret"])
        #expect(try Expression(parsing: "size('abc') + 1").referencedRoots == [])
        #expect(try Expression(parsing: "input.tags.contains('a')").referencedRoots == ["input"])
    }
}
