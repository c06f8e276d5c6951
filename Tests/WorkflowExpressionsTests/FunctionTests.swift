import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Functions")
struct FunctionTests {
    @Test("size of strings, lists and maps, in both call styles")
    func size() throws {
        #expect(try evaluate("size('héllo')") == 5)
        #expect(try evaluate("size(input.tags)") == 2)
        #expect(try evaluate("validation.size()") == 2)
        #expect(try evaluate("input.name.size()") == 3)
        #expect(failure("size(1)")?.message == "`size` needs a string, list or map, got int")
    }

    @Test("contains on strings and lists")
    func contains() throws {
        #expect(try evaluate("contains('hello', 'ell')") == true)
        #expect(try evaluate("input.tags.contains('vip')") == true)
        #expect(try evaluate("contains([1, 2], 3)") == false)
        #expect(try evaluate("'abc'.contains('')") == true)
        #expect(failure("contains(1, 1)")?.code == .type)
    }

    @Test("startsWith and endsWith")
    func affixes() throws {
        #expect(try evaluate("startsWith('workflow', 'work')") == true)
        #expect(try evaluate("'workflow'.endsWith('flow')") == true)
        #expect(try evaluate("input.name.startsWith('B')") == false)
        #expect(failure("startsWith('a', 1)")?.message == "`startsWith` needs strings, got int")
    }

    @Test("matches uses regular expressions")
    func matches() throws {
        #expect(try evaluate("matches('order-123', '^order-[0-9]+$')") == true)
        #expect(try evaluate("'abc'.matches('^b')") == false)
        #expect(try evaluate("'ABC'.matches('(?i)abc')") == true)
    }

    @Test("invalid or overlong patterns are invalidRegex")
    func invalidRegex() {
        let error = failure("matches('a', '(')")
        #expect(error?.code == .invalidRegex)
        #expect(error?.offset == 0)
        let long = String(repeating: "a", count: 257)
        #expect(failure("matches('a', '\(long)')")?.code == .invalidRegex)
    }

    @Test("lower and upper")
    func casing() throws {
        #expect(try evaluate("lower('MiXeD')") == "mixed")
        #expect(try evaluate("input.name.upper()") == "ADA")
        #expect(failure("lower(1)")?.code == .type)
    }

    @Test("int converts doubles, strings and bools")
    func int() throws {
        #expect(try evaluate("int(3.9)") == 3)
        #expect(try evaluate("int(-3.9)") == -3)
        #expect(try evaluate("int('42')") == 42)
        #expect(try evaluate("int(' 7 ')") == 7)
        #expect(try evaluate("int(true)") == 1)
        #expect(try evaluate("int(5)") == 5)
        #expect(failure("int('forty')")?.code == .conversion)
        #expect(failure("int(1e300)")?.code == .conversion)
        #expect(failure("int(null)")?.code == .conversion)
    }

    @Test("double converts ints and strings")
    func double() throws {
        #expect(try evaluate("double(2)") == 2.0)
        #expect(try evaluate("double('2.5')") == 2.5)
        #expect(try evaluate("double(false)") == 0.0)
        #expect(failure("double('x')")?.message == "cannot convert the string \"x\" to double")
        #expect(failure("double([1])")?.code == .conversion)
    }

    @Test("string renders scalars as text and collections as JSON")
    func string() throws {
        #expect(try evaluate("string(42)") == "42")
        #expect(try evaluate("string(true)") == "true")
        #expect(try evaluate("string('x')") == "x")
        #expect(try evaluate("string(null)") == "null")
        #expect(try evaluate("string([1, 'a'])") == "[1,\"a\"]")
        #expect(try evaluate("string({'b': 1, 'a': [true]})") == "{\"a\":[true],\"b\":1}")
    }

    @Test("now returns the scope's time as ISO 8601")
    func now() throws {
        #expect(try evaluate("now()") == "2024-05-06T07:08:09Z")
    }

    @Test("unknown functions suggest a close match")
    func unknownFunction() {
        let error = failure("lenght(input.tags)")
        #expect(error?.code == .unknownFunction)
        #expect(error?.message == "unknown function `lenght`; did you mean `size`?")
        #expect(error?.offset == 0)
        #expect(failure("1 + uper('a')")?.message == "unknown function `uper`; did you mean `upper`?")
        #expect(failure("1 + uper('a')")?.offset == 4)
        #expect(failure("frobnicate()")?.message.contains("available:") == true)
        #expect(failure("'a'.toLowerCase()")?.message.contains("did you mean `lower`?") == true)
    }

    @Test("wrong argument counts are arity errors, receivers count")
    func arity() {
        let error = failure("size()")
        #expect(error?.code == .arity)
        #expect(error?.message == "`size` takes 1 argument, got 0")
        #expect(failure("now(1)")?.code == .arity)
        #expect(failure("'a'.contains()")?.code == .arity)
        #expect(failure("contains('a', 'b', 'c')")?.message == "`contains` takes 2 arguments, got 3")
    }

    @Test("conversions cannot be called as methods")
    func receiverOnly() {
        #expect(failure("1.5.int()")?.code == .syntax)
        #expect(failure("input.total.string()")?.code == .syntax)
    }
}
