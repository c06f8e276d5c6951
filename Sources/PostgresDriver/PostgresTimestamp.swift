import Foundation

/// UTC timestamps in PostgreSQL's ISO text format (`2024-05-01 12:30:00.123456+00`), converted
/// with integer arithmetic so that whole milliseconds round-trip exactly.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, dayMicros) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        let (dayNumber, micro) = dayMicros < 0 ? (days - 1, dayMicros + 86_400_000_000) : (days, dayMicros)
        let (year, month, day) = civil(fromDays: dayNumber)
        let seconds = micro / 1_000_000
        var text: [UInt8] = []
        text.reserveCapacity(29)
        for (value, width, separator) in [
            (year, 4, "-"), (month, 2, "-"), (day, 2, " "), (seconds / 3600, 2, ":"), (seconds / 60 % 60, 2, ":"),
            (seconds % 60, 2, "."), (micro % 1_000_000, 6, "+"),
        ] as [(Int64, Int, Unicode.Scalar)] {
            appendDigits(of: value, width: width, to: &text)
            text.append(UInt8(ascii: separator))
        }
        text += [UInt8(ascii: "0"), UInt8(ascii: "0")]
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (more if it needs them).
    /// (`String(format:)` did this at several times the cost, on every commit's timestamps.)
    private static func appendDigits(of value: Int64, width: Int, to text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var rest = value.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { text += repeatElement(UInt8(ascii: "0"), count: width - digits.count) }
        text += digits.reversed()
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]+00`; `nil` for anything else (another zone, BC, infinity).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 22, bytes.suffix(3) == Array("+00".utf8) else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var fraction: Int64 = 0
        let fractionDigits = bytes.count - 3 - 20
        if fractionDigits > 0 {
            guard bytes[19] == UInt8(ascii: "."), fractionDigits <= 6, let digits = number(20..<(bytes.count - 3)) else { return nil }
            fraction = digits * Int64([1, 100_000, 10_000, 1000, 100, 10, 1][fractionDigits])
        } else if bytes.count != 22 {
            return nil
        }
        let days = self.days(year: year, month: month, day: day)
        let micros = ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + fraction
        if micros % 1000 == 0 { return Date(timeIntervalSince1970: Double(micros / 1000) / 1000) }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``days(year:month:day:)`` (`civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
