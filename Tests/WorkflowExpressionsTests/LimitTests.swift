import Foundation
import Testing
import WorkflowExpressions
import WorkflowJSON

@Suite("Limits and hostile input")
struct LimitTests {
    @Test("100k nested parentheses fail with tooDeep, not a stack overflow")
    func deepParentheses() {
        let source = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let error = failure(source, limits: ExpressionLimits(maxLength: 1_000_000))
        #expect(error?.code == .tooDeep)
    }

    @Test("deep unary chains and nested lists are bounded too")
    func deepPrefixes() {
        let limits = ExpressionLimits(maxLength: 1_000_000)
        #expect(failure(String(repeating: "!", count: 100_000) + "true", limits: limits)?.code == .tooDeep)
        #expect(failure(String(repeating: "[", count: 100_000), limits: limits)?.code == .tooDeep)
        #expect(failure(String(repeating: "size(", count: 50_000), limits: limits)?.code == .tooDeep)
        #expect(failure(String(repeating: "-", count: 100_000) + "1", limits: limits)?.code == .tooDeep)
    }

    @Test("long operator chains count toward depth")
    func longChains() throws {
        let chain = Array(repeating: "1", count: 200).joined(separator: " + ")
        #expect(failure(chain)?.code == .tooDeep)
        #expect(try evaluate(chain, limits: ExpressionLimits(maxDepth: 300)) == 200)
    }

    @Test("nesting within maxDepth is fine")
    func withinDepth() throws {
        let source = String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
        #expect(try evaluate(source) == 1)
    }

    @Test("a 1 MB source is rejected as tooLong before lexing")
    func tooLong() {
        let source = "'" + String(repeating: "x", count: 1_000_000) + "'"
        let error = failure(source)
        #expect(error?.code == .tooLong)
        #expect(error?.message.contains("4096") == true)
    }

    @Test("length counts characters, not bytes")
    func lengthInCharacters() throws {
        let source = "'" + String(repeating: "é", count: 3000) + "'"
        #expect(try evaluate("size(\(source))") == 3000)
    }

    @Test("the step budget stops long evaluations")
    func budget() {
        let chain = Array(repeating: "'a'", count: 200).joined(separator: " + ")
        let limits = ExpressionLimits(maxDepth: 1000, stepBudget: 100)
        let error = failure(chain, limits: limits)
        #expect(error?.code == .budgetExceeded)
        #expect(error?.message.contains("100") == true)
    }

    @Test("string doubling hits valueTooLarge")
    func doubling() {
        var source = "'aaaaaaaaaaaaaaaa'"
        for _ in 0..<20 { source = "(\(source) + \(source))" }
        let limits = ExpressionLimits(maxLength: 100_000_000, maxDepth: 100, stepBudget: 100_000_000, maxValueSize: 1_000_000)
        let big = EvaluationScope(variables: ["input": ["s": .string(String(repeating: "a", count: 600_000))]], now: fixedNow)
        #expect(failure("input.s + input.s", in: big, limits: limits)?.code == .valueTooLarge)
        #expect(failure("input.s + input.s", in: big)?.code == .valueTooLarge)
        #expect(failure("[1, 2] + [3]", limits: ExpressionLimits(maxValueSize: 2))?.code == .valueTooLarge)
    }

    @Test("a list of many copies of one large value is refused before it is written as text")
    func copiesWrittenAsText() throws {
        var shared: JSONValue = .string(String(repeating: "a", count: 100_000))
        for _ in 0..<40 { shared = [shared, shared] }  // 2^40 copies: written out, about 100 PB
        let scope = EvaluationScope(variables: ["input": ["s": shared]], now: fixedNow)
        #expect(failure("string(input.s)", in: scope)?.code == .valueTooLarge)
        #expect(templateFailure("copies: ${input.s}", in: scope)?.code == .valueTooLarge)
        var nested: JSONValue = 1
        for _ in 0..<2_000 { nested = [nested] }
        #expect(failure("string(input.n)", in: EvaluationScope(variables: ["input": ["n": nested]], now: fixedNow))?.code == .valueTooLarge)
        #expect(try evaluate("string([1, 'two'])") == "[1,\"two\"]")
    }

    @Test("comparing lists of many copies of one value costs steps for every copy")
    func copiesCompared() throws {
        var shared: JSONValue = .string(String(repeating: "a", count: 1_000))
        for _ in 0..<40 { shared = [shared, shared] }  // 2^40 copies: comparing them would take hours
        let scope = EvaluationScope(variables: ["input": ["s": shared, "t": shared, "small": [1, [2, "x"]]]], now: fixedNow)
        #expect(failure("input.s == input.t", in: scope)?.code == .budgetExceeded)
        #expect(failure("input.s != input.t", in: scope)?.code == .budgetExceeded)
        #expect(failure("input.s in [input.t, 1]", in: scope)?.code == .budgetExceeded)
        #expect(try evaluate("input.s == 1", in: scope) == false, "values of different types compare at once")
        #expect(try evaluate("input.small == [1, [2, 'x']]", in: scope) == true)
        #expect(try evaluate("[2, 'x'] in input.small", in: scope) == true)
    }

    @Test("work on large values costs steps in proportion")
    func proportionalCost() {
        let text = String(repeating: "a", count: 900_000)
        let scope = EvaluationScope(variables: ["input": ["s": .string(text)]], now: fixedNow)
        let limits = ExpressionLimits(stepBudget: 1000)
        #expect(failure("input.s.contains('b')", in: scope, limits: limits)?.code == .budgetExceeded)
        #expect(failure("size(input.s)", in: scope, limits: limits)?.code == .budgetExceeded)
        #expect(failure("size(input.s)", in: scope) == nil)
    }

    @Test("catastrophic regex backtracking is cut off")
    func catastrophicRegex() {
        let scope = EvaluationScope(
            variables: ["input": ["s": .string(String(repeating: "a", count: 2000) + "!")]], now: fixedNow)
        let started = Date()
        let error = failure("input.s.matches('^(a+)+$')", in: scope)
        #expect(error?.code == .budgetExceeded)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// Fuzzing found this: the engine reports progress only every ~10 000 backtracking steps, so a pattern that
    /// backtracks a little at each of 10 000 start positions stayed under the report count and ran for 16 s.
    @Test("backtracking at every start position is cut off in time, for all calls of one evaluation together")
    func backtrackingAtEveryPosition() {
        let scope = EvaluationScope(
            variables: ["input": ["s": .string(String(repeating: "ab", count: 5000))]], now: fixedNow)
        let started = ContinuousClock.now
        #expect(failure("input.s.matches('(ab|a|b)*c')", in: scope)?.code == .budgetExceeded)
        let calls = Array(repeating: "input.s.matches('(ab|a|b)*c')", count: 20).joined(separator: " || ")
        #expect(failure(calls, in: scope)?.code == .budgetExceeded)
        #expect(ContinuousClock.now - started < .seconds(8), "16 s before the fix; a loaded test run needs seconds")
    }

    /// Many evaluations in one go (one engine step) share one pool: each alone is within its own
    /// budget, together they run out, and say so; outside a pool nothing is shared.
    @Test("evaluations inside one ExpressionAllowance share its steps")
    func sharedSteps() throws {
        let scope = EvaluationScope(variables: ["input": ["s": .string(String(repeating: "a", count: 256_000))]], now: fixedNow)
        let costly = try Expression(parsing: "input.s.contains('b')")
        for _ in 0..<10 { #expect(try costly.evaluate(in: scope) == false) }
        let allowance = ExpressionAllowance(steps: 5_000)
        let outcomes = allowance.spending { (0..<10).map { _ in Result(catching: { () throws(ExpressionError) -> JSONValue in try costly.evaluate(in: scope) }) } }
        let passed = outcomes.prefix { (try? $0.get()) == false }.count
        #expect(passed >= 4 && passed < 10, "about 1 000 steps each: \(passed) passed")
        guard case .failure(let error) = outcomes[passed] else {
            Issue.record("evaluation \(passed) should have run out of the shared steps")
            return
        }
        #expect(error.code == .budgetExceeded)
        #expect(error.message.contains("used up the 5000 evaluation steps they share"), "\(error.message)")
    }

    /// A charge that breaks the limit may stand for far more than was done (a comparison too large
    /// to measure is charged as endless): only what the evaluation could spend leaves the pool.
    @Test("an evaluation over its own budget takes no more than that budget from the pool")
    func aFailureDoesNotDrainThePool() throws {
        let big = JSONValue.array(Array(repeating: .string(String(repeating: "a", count: 1000)), count: 3000))
        let scope = EvaluationScope(variables: ["input": ["big": big]], now: fixedNow)
        let outcomes = ExpressionAllowance(steps: 100_000).spending {
            [failure("input.big == input.big", in: scope), failure("1 + 1", in: scope)]
        }
        #expect(outcomes[0]?.code == .budgetExceeded)
        #expect(outcomes[1] == nil, "\(String(describing: outcomes[1]))")
    }

    @Test("evaluations inside one ExpressionAllowance share its time in regular expressions")
    func sharedRegexTime() {
        let scope = EvaluationScope(variables: ["input": ["s": .string(String(repeating: "ab", count: 5000))]], now: fixedNow)
        let started = ContinuousClock.now
        let failures = ExpressionAllowance(regexTime: .milliseconds(300)).spending {
            (0..<40).map { _ in failure("input.s.matches('(ab|a|b)*c')", in: scope) }
        }
        #expect(failures.allSatisfy { $0?.code == .budgetExceeded })
        #expect(ContinuousClock.now - started < .seconds(6), "40 calls of 250 ms each (10 s), cut to the pool's 300 ms")
    }

    @Test("ordinary patterns scan long inputs without being cut off")
    func longRegexScan() throws {
        let text = String(repeating: "ab", count: 4999) + "x"
        let scope = EvaluationScope(variables: ["input": ["s": .string(text)]], now: fixedNow)
        #expect(try evaluate("input.s.matches('c')", in: scope) == false)
        #expect(try evaluate("input.s.matches('[a-z]+x$')", in: scope) == true)
        #expect(try evaluate("input.s.matches('bb')", in: scope) == false)
    }

    @Test("regex input longer than 10 000 characters is refused")
    func regexInputCap() {
        let scope = EvaluationScope(variables: ["input": ["s": .string(String(repeating: "a", count: 10_001))]], now: fixedNow)
        #expect(failure("matches(input.s, 'a')", in: scope, limits: ExpressionLimits(stepBudget: 1_000_000))?.code == .valueTooLarge)
    }

    @Test("default limits")
    func defaults() {
        #expect(ExpressionLimits.default == ExpressionLimits(maxLength: 4096, maxDepth: 64, stepBudget: 10_000, maxValueSize: 1_000_000))
    }

    @Test("compiled expressions are reusable across scopes and tasks")
    func reuse() async throws {
        let expression = try Expression(parsing: "input.n * 2")
        let results = await withTaskGroup(of: JSONValue?.self) { group in
            for n in 0..<8 {
                group.addTask {
                    try? expression.evaluate(in: EvaluationScope(variables: ["input": ["n": .integer(n)]], now: fixedNow))
                }
            }
            var collected: [JSONValue?] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(Set(results.compactMap { $0 }) == Set((0..<8).map { JSONValue.integer($0 * 2) }))
    }
}
