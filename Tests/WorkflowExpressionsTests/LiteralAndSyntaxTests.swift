import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Literals and syntax")
struct LiteralAndSyntaxTests {
    @Test("scalar literals keep their types")
    func scalars() throws {
        #expect(try evaluate("42") == .integer(42))
        #expect(try evaluate("2.5") == .double(2.5))
        #expect(try evaluate("1e3") == .double(1000))
        #expect(try evaluate("true") == .bool(true))
        #expect(try evaluate("false") == .bool(false))
        #expect(try evaluate("null") == .null)
    }

    @Test("single- and double-quoted strings with escapes")
    func strings() throws {
        #expect(try evaluate("'it\\'s'") == "it's")
        #expect(try evaluate("\"say \\\"hi\\\"\"") == "say \"hi\"")
        #expect(try evaluate("'a\\nb\\tc\\\\'") == "a\nb\tc\\")
        #expect(try evaluate("'\\u00e9'") == "é")
        #expect(try evaluate("'{}'") == "{}")
    }

    @Test("list and map literals, trailing commas allowed")
    func collections() throws {
        #expect(try evaluate("[1, 'two', [3]]") == [1, "two", [3]])
        #expect(try evaluate("[]") == [])
        #expect(try evaluate("{'a': 1, \"b\": [true],}") == ["a": 1, "b": [true]])
        #expect(try evaluate("{}") == .emptyObject)
        #expect(try evaluate("{'k' + '1': input.total}") == ["k1": 250])
    }

    @Test("map keys must be strings")
    func mapKeys() {
        let error = failure("{1: 2}")
        #expect(error?.code == .type)
        #expect(error?.offset == 1)
    }

    @Test("unknown escape and unclosed string are syntax errors with offsets")
    func badStrings() {
        #expect(failure("'a\\q'")?.code == .syntax)
        #expect(failure("'a\\q'")?.offset == 2)
        let unclosed = failure("1 + 'abc")
        #expect(unclosed?.code == .syntax)
        #expect(unclosed?.offset == 4)
    }

    @Test("unexpected tokens report where they are")
    func unexpected() {
        let trailing = failure("1 2")
        #expect(trailing?.code == .syntax)
        #expect(trailing?.offset == 2)
        #expect(failure("1 +")?.offset == 3)
        #expect(failure("(1")?.message.contains("`)`") == true)
        #expect(failure("a # b")?.offset == 2)
        #expect(failure("true ? 1")?.code == .syntax)
        #expect(failure("input.")?.code == .syntax)
    }

    @Test("integer literal out of range is a syntax error")
    func hugeLiteral() {
        #expect(failure("99999999999999999999")?.code == .syntax)
    }

    @Test("whitespace and newlines are ignored")
    func whitespace() throws {
        #expect(try evaluate("  1 +\n\t2  ") == 3)
    }

    @Test("error description shows a 1-based position")
    func description() {
        let error = ExpressionError(code: .syntax, message: "boom", offset: 4)
        #expect(error.description == "boom (at character 5)")
    }

    @Test("source is kept")
    func source() throws {
        #expect(try Expression(parsing: "1 + 2").source == "1 + 2")
    }
}
