import Testing
import WorkflowJSON

@Suite struct JSONValueTests {
    @Test func roundTripsThroughJSONKeepingIntegersApartFromDoubles() throws {
        let value = try JSONValue(jsonString: #"{"a": 1, "b": 1.5, "c": [true, null, "x"], "d": {"e": -2}}"#)
        #expect(value["a"] == .integer(1))
        #expect(value["b"] == .double(1.5))
        #expect(try JSONValue(jsonString: value.encodedString()) == value)
    }

    @Test func readsAndWritesDottedPaths() {
        let value: JSONValue = ["order": ["lines": [["sku": "A"], ["sku": "B"]]]]
        #expect(value.value(atPath: "order.lines.1.sku") == "B")
        #expect(value.value(atPath: "order.missing") == nil)
        let updated = value.setting("gold", atPath: "customer.tier")
        #expect(updated.value(atPath: "customer.tier") == "gold")
        #expect(updated.value(atPath: "order.lines.0.sku") == "A")
        #expect(value.setting("C", atPath: "order.lines.0.sku").value(atPath: "order.lines.0.sku") == "C")
    }

    @Test func encodesWithSortedKeys() {
        let value: JSONValue = ["b": 1, "a": 2]
        #expect(value.encodedString() == #"{"a":2,"b":1}"#)
    }
}
