import Foundation
import Testing
import WorkflowJSON

@Suite struct ValueMeterTests {
    static let roomy = ValueLimits(maxBytes: 1 << 20, maxDepth: 32)

    @Test(arguments: [
        JSONValue.null, true, 0, -12_345, 9_223_372_036_854_775_807, "plain text", "ünïcode",
        ["a": 1, "bb": [true, nil, "x"]], [[], [:], [[1]]],
    ])
    func theCountIsNeverLessThanTheWrittenSizeOfPlainValues(value: JSONValue) {
        var meter = ValueMeter(Self.roomy)
        meter.add(value)
        #expect(meter.breach == nil)
        #expect(meter.bytes >= value.encodedString().utf8.count)
        #expect(meter.bytes <= value.encodedString().utf8.count + 8)
    }

    @Test func escapedCharactersCountAsTheyAreWritten() {
        for text in ["\u{01}\u{1f}", "quote \" and \\ backslash", "\n\t\r\u{08}\u{0c}", "plain"] {
            let value: JSONValue = .object([text: .string(text)])
            var meter = ValueMeter(Self.roomy)
            meter.add(value)
            #expect(meter.bytes == value.encodedString().utf8.count, "\(text.debugDescription)")
        }
        let controls = JSONValue.string(String(repeating: "\u{01}", count: 1_000))
        #expect(controls.breach(of: ValueLimits(maxBytes: 5_000, maxDepth: 4)) == .tooLarge, "written as 6 002 bytes")
    }

    @Test func aValueBuiltByDoublingIsMeasuredOnlyUpToTheLimit() {
        var value: JSONValue = "0123456789"
        for _ in 0..<60 { value = [value, value] }  // 2^60 copies when written out
        var meter = ValueMeter(ValueLimits(maxBytes: 100_000, maxDepth: 100))
        meter.add(value)
        #expect(meter.breach == .tooLarge)
        #expect(meter.bytes <= 100_000 + 64)
    }

    @Test func nestingIsCountedFromTheOutermostContainer() {
        var value: JSONValue = 1
        for _ in 0..<4 { value = [value] }
        #expect(value.breach(of: ValueLimits(maxBytes: 1000, maxDepth: 4)) == nil)
        #expect(value.breach(of: ValueLimits(maxBytes: 1000, maxDepth: 3)) == .tooDeep)
        #expect(JSONValue.string("x").breach(of: ValueLimits(maxBytes: 1000, maxDepth: 0)) == nil)
    }

    @Test func aValueNestedFarDeeperThanTheLimitIsRefusedWithoutWalkingIt() {
        var value: JSONValue = 1
        for _ in 0..<2_000 { value = ["next": value] }  // deeper would overflow the stack freeing it
        #expect(value.breach(of: Self.roomy) == .tooDeep)
    }

    @Test func severalValuesShareOneBudgetAndNothingCountsAfterABreach() {
        var meter = ValueMeter(ValueLimits(maxBytes: 30, maxDepth: 8))
        let first = meter.add("0123456789")
        let second = meter.add(bytes: 10)
        let third = meter.add("0123456789")
        #expect(first && second && !third)
        let counted = meter.bytes
        let fourth = meter.add(bytes: 1)
        #expect(!fourth)
        #expect(meter.bytes == counted)
        #expect(meter.breach == .tooLarge)
    }
}
