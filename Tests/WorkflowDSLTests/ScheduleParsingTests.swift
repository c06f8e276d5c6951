import Foundation
import Testing
import WorkflowJSON
@testable import WorkflowDSL

@Suite("Schedules in the DSL")
struct ScheduleParsingTests {
    private func document(_ schedule: String) -> String {
        """
        apiVersion: lazyrabbit/v1
        name: nightly
        start: done
        \(schedule)
        states:
          done: { type: succeed }
        """
    }

    @Test func aFullScheduleParses() throws {
        let result = Fixtures.load(document("""
            schedule:
              cron: "*/5 * * * *"
              timezone: Europe/Berlin
              overlap: buffer_one
              catch_up: all
              input: { report: daily, limit: 3 }
            """))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let schedule = try #require(result.definition?.schedule)
        #expect(schedule == WorkflowSchedule(
            cron: "*/5 * * * *", timeZone: "Europe/Berlin", overlap: .bufferOne, catchUp: .all,
            input: .object(["report": .string("daily"), "limit": .integer(3)])))
    }

    @Test func defaults() throws {
        let result = Fixtures.load(document("schedule: { cron: \"@daily\" }"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.definition?.schedule == WorkflowSchedule(cron: "@daily", timeZone: "UTC", overlap: .skip, catchUp: .latest, input: .object([:])))
        #expect(Fixtures.load(document("")).definition?.schedule == nil)
    }

    @Test func aBadCronFieldIsReportedAtItsCharacter() throws {
        let result = Fixtures.load(document("""
            schedule:
              cron: "*/5 25 * * *"
            """))
        let diagnostic = try #require(result.diagnostics.first { $0.code == "invalid_cron" })
        #expect(diagnostic.message.contains("hour field at character 5: 25 is out of range 0-23"), "\(diagnostic.message)")
        #expect(diagnostic.path == "schedule.cron")
        // Line 5, the value starts at column 10 after its quote: character 5 of the text is column 14.
        #expect(diagnostic.line == 5 && diagnostic.column == 14)
    }

    @Test func unknownTimeZoneAndPoliciesAreRefusedWithHints() throws {
        let result = Fixtures.load(document("""
            schedule:
              cron: "0 * * * *"
              timezone: Europe/Berln
              overlap: skipp
              catch_up: every
              when: never
            """))
        let zone = try #require(result.diagnostics.first { $0.code == "unknown_timezone" })
        #expect(zone.hint == "did you mean `Europe/Berlin`?")
        #expect(zone.line == 6)
        let overlap = try #require(result.diagnostics.first { $0.path == "schedule.overlap" })
        #expect(overlap.code == "invalid_value" && overlap.hint == "did you mean `skip`?" && overlap.line == 7)
        #expect(result.diagnostics.contains { $0.path == "schedule.catch_up" && $0.code == "invalid_value" && $0.line == 8 })
        #expect(result.diagnostics.contains { $0.code == "unknown_field" && $0.path == "schedule.when" })
    }

    /// A schedule may not fire more often than `minScheduleIntervalSeconds` (10 s by default).
    @Test func aScheduleThatFiresTooOftenIsRefusedAtItsCron() throws {
        let source = document("""
            schedule:
              cron: "0,5,30 * * * * *"
            """)
        let diagnostic = try #require(Fixtures.load(source).diagnostics.first { $0.code == "schedule_too_frequent" })
        #expect(diagnostic.message == "`0,5,30 * * * * *` fires 5 s apart at its closest; the limit is 10 s (minScheduleIntervalSeconds)")
        #expect(diagnostic.path == "schedule.cron" && diagnostic.line == 5)
        #expect(WorkflowDocument.load(source, options: ValidationOptions(limits: ValidationLimits(minScheduleIntervalSeconds: 5))).isValid)
        #expect(Fixtures.load(document("schedule: { cron: \"*/10 * * * * *\" }")).diagnostics.isEmpty)
    }

    @Test func cronIsRequiredAndMustBeAString() {
        #expect(Fixtures.load(document("schedule: { timezone: UTC }")).diagnostics.contains { $0.code == "missing_field" && $0.path == "schedule.cron" })
        #expect(Fixtures.load(document("schedule: { cron: 5 }")).diagnostics.contains { $0.code == "invalid_type" && $0.path == "schedule.cron" })
    }

    @Test func aScheduleRoundTripsThroughJSON() throws {
        let definition = try #require(Fixtures.load(document("schedule: { cron: \"0 9 * * MON-FRI\", timezone: America/New_York }")).definition)
        let decoded = try JSONDecoder().decode(WorkflowDefinition.self, from: JSONEncoder().encode(definition))
        #expect(decoded == definition)
    }
}
