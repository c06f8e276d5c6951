import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Operators")
struct OperatorTests {
    @Test("int arithmetic stays int")
    func intArithmetic() throws {
        #expect(try evaluate("7 + 3") == 10)
        #expect(try evaluate("7 - 10") == -3)
        #expect(try evaluate("6 * 7") == 42)
        #expect(try evaluate("7 / 2") == 3)
        #expect(try evaluate("-7 / 2") == -3)
        #expect(try evaluate("7 % 3") == 1)
    }

    @Test("mixing int and double gives double")
    func mixedArithmetic() throws {
        #expect(try evaluate("1 + 0.5") == 1.5)
        #expect(try evaluate("7 / 2.0") == 3.5)
        #expect(try evaluate("input.price * 2") == 39.0)
        #expect(try evaluate("7.5 % 2") == 1.5)
    }

    @Test("division and remainder by zero")
    func divisionByZero() {
        #expect(failure("1 / 0")?.code == .divisionByZero)
        #expect(failure("1 % 0")?.code == .divisionByZero)
        #expect(failure("1.0 / 0")?.code == .divisionByZero)
        #expect(failure("1 / 0")?.offset == 2)
    }

    @Test("overflow is an error, not a crash")
    func overflow() {
        #expect(failure("9223372036854775807 + 1")?.code == .valueTooLarge)
        #expect(failure("9223372036854775807 * 2")?.code == .valueTooLarge)
        #expect(failure("-9223372036854775807 - 2")?.code == .valueTooLarge)
        #expect(failure("(-9223372036854775807 - 1) / -1")?.code == .valueTooLarge)
        #expect(failure("-(-9223372036854775807 - 1)")?.code == .valueTooLarge)
        #expect(failure("1e308 * 10")?.code == .valueTooLarge)
    }

    @Test("string and list concatenation")
    func concatenation() throws {
        #expect(try evaluate("'a' + \"b\"") == "ab")
        #expect(try evaluate("[1] + [2, 3]") == [1, 2, 3])
    }

    @Test("`+` with mismatched types names both types")
    func addTypeError() {
        let error = failure("1 + 'a'")
        #expect(error?.code == .type)
        #expect(error?.message == "`+` cannot add int and string")
        #expect(error?.offset == 2)
        #expect(failure("'a' - 'b'")?.message == "`-` cannot subtract string and string")
        #expect(failure("[1] * 2")?.code == .type)
    }

    @Test("unary operators")
    func unary() throws {
        #expect(try evaluate("!true") == false)
        #expect(try evaluate("!!true") == true)
        #expect(try evaluate("-input.total") == -250)
        #expect(try evaluate("-(2.5)") == -2.5)
        #expect(failure("!1")?.message == "`!` needs a bool, got int")
        #expect(failure("-'a'")?.code == .type)
    }

    @Test("comparisons of numbers and strings")
    func comparisons() throws {
        #expect(try evaluate("1 < 2") == true)
        #expect(try evaluate("2 <= 2") == true)
        #expect(try evaluate("3 > 2.5") == true)
        #expect(try evaluate("2 >= 3") == false)
        #expect(try evaluate("'apple' < 'banana'") == true)
        #expect(failure("1 < 'a'")?.message == "`<` cannot compare int and string")
        #expect(failure("null > 1")?.code == .type)
    }

    @Test("equality is structural and numeric across int and double")
    func equality() throws {
        #expect(try evaluate("1 == 1.0") == true)
        #expect(try evaluate("1 != 2") == true)
        #expect(try evaluate("'a' == 'a'") == true)
        #expect(try evaluate("[1, {'a': 2}] == [1.0, {'a': 2}]") == true)
        #expect(try evaluate("{'a': 1} == {'a': 1, 'b': 2}") == false)
        #expect(try evaluate("input.nothing == null") == true)
        #expect(try evaluate("1 == '1'") == false)
    }

    @Test("`in` looks into lists, map keys and strings")
    func membership() throws {
        #expect(try evaluate("'vip' in input.tags") == true)
        #expect(try evaluate("2 in [1, 2.0]") == true)
        #expect(try evaluate("'tier' in validation") == true)
        #expect(try evaluate("'missing' in validation") == false)
        #expect(try evaluate("'da' in input.name") == true)
        #expect(failure("1 in 'abc'")?.code == .type)
    }

    @Test("`&&` and `||` short-circuit and demand bools")
    func logic() throws {
        #expect(try evaluate("true && false") == false)
        #expect(try evaluate("false || true") == true)
        #expect(try evaluate("false && (1 / 0 == 1)") == false)
        #expect(try evaluate("true || missing.call == 1 / 0") == true)
        #expect(failure("1 && true")?.message == "`&&` needs bool operands, got int")
        #expect(failure("true && 'x'")?.code == .type)
        #expect(failure("false || null")?.offset == 6)
    }

    @Test("ternary picks a branch and needs a bool condition")
    func ternary() throws {
        #expect(try evaluate("input.total > 100 ? 'big' : 'small'") == "big")
        #expect(try evaluate("false ? 1 : true ? 2 : 3") == 2)
        #expect(try evaluate("true ? 1 / 1 : 1 / 0") == 1)
        #expect(failure("1 ? 2 : 3")?.code == .type)
    }

    @Test("precedence follows the usual rules")
    func precedence() throws {
        #expect(try evaluate("1 + 2 * 3") == 7)
        #expect(try evaluate("(1 + 2) * 3") == 9)
        #expect(try evaluate("10 - 4 - 3") == 3)
        #expect(try evaluate("2 * 3 % 4") == 2)
        #expect(try evaluate("1 + 1 == 2 && 3 > 2") == true)
        #expect(try evaluate("true || false && false") == true)
        #expect(try evaluate("-2 * 3") == -6)
        #expect(try evaluate("!false == true") == true)
        #expect(try evaluate("1 < 2 == true") == true)
        #expect(try evaluate("'a' + 'b' in ['ab']") == true)
    }
}
