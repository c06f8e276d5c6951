import Testing
import WorkflowJSON

@Suite struct ASCIIBytesTests {
    @Test func findsThePatternWhereverItFirstOccurs() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\r\n\r\n".utf8)
        let blankLine = Array("\r\n\r\n".utf8)
        #expect(bytes.firstRange(ofBytes: blankLine) == 23..<27)
        #expect(bytes.firstRange(ofBytes: Array("GET".utf8)) == 0..<3)
        #expect(bytes.firstRange(ofBytes: Array("body\r\n\r\n".utf8)) == 27..<35)
    }

    @Test func restartsAfterAPartialMatch() {
        let bytes = Array("aaab".utf8)
        #expect(bytes.firstRange(ofBytes: Array("aab".utf8)) == 1..<4)
        #expect(bytes[1...].firstRange(ofBytes: Array("ab".utf8)) == 2..<4, "indices are the slice's own")
    }

    @Test func answersNilWhenThePatternIsAbsentOrCutOff() {
        #expect(Array("http:/x".utf8).firstRange(ofBytes: Array("://".utf8)) == nil)
        #expect(Array("ab\r\n\r".utf8).firstRange(ofBytes: Array("\r\n\r\n".utf8)) == nil)
        #expect([UInt8]().firstRange(ofBytes: Array("a".utf8)) == nil)
        #expect([UInt8]().firstRange(ofBytes: [UInt8]()) == 0..<0, "an empty pattern is at the start")
    }

    @Test func trimsOnlyASCIIWhitespace() {
        #expect(Array(Array(" \t text \r\n".utf8).trimmingASCIIWhitespace()) == Array("text".utf8))
        #expect(Array(Array(" \r\n ".utf8).trimmingASCIIWhitespace()).isEmpty)
        #expect(Array(Array("\u{A0}x".utf8).trimmingASCIIWhitespace()) == Array("\u{A0}x".utf8), "non-ASCII space stays")
    }
}
