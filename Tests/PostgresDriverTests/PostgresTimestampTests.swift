import Foundation
@testable import PostgresDriver
import Testing

/// The text form of timestamps sent to and read from PostgreSQL (no server needed).
struct PostgresTimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00.000000+00"),
        (1_764_000_000.123, "2025-11-24 16:00:00.123000+00"),
        (951_782_400.000_001, "2000-02-29 00:00:00.000001+00"),
        (-1.5, "1969-12-31 23:59:58.500000+00"),
        (-62_135_596_800.0, "0001-01-01 00:00:00.000000+00"),
        (253_402_300_799.5, "9999-12-31 23:59:59.500000+00"),
    ])
    func formatsZeroPaddedUTC(seconds: Double, text: String) {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func wholeMillisecondsRoundTrip() throws {
        for milliseconds in [0, 1, 999, 1_764_000_000_123, -86_400_001] as [Int64] {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let parsed = try #require(PostgresTimestamp.parse(PostgresTimestamp.format(date)))
            #expect(parsed == date)
        }
    }
}
