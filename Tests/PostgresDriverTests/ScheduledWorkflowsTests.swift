import Foundation
import PostgresDriver
import Testing
import WorkflowDrivers

extension PostgresIntegration {
    /// Workflows stored before migration 12 have no `scheduled` flag: the scheduler's list holds
    /// them after the known scheduled ones (newest first), until what their latest version
    /// declares is recorded; a recorded or known flag is never overwritten by that.
    @Suite struct ScheduledWorkflowsTests {
        @Test func workflowsWithAnUnknownFlagComeLastUntilRecorded() async throws {
            try await TestDatabase.with { pool throws in
                let repository = PostgresWorkflowRepository(pool: pool)
                let at = Date(timeIntervalSince1970: 1_700_000_000)
                let legacyOld = try await repository.create(owner: "ada", name: "old", source: "o", scheduled: false, at: at).workflowID
                let legacyNew = try await repository.create(owner: "ada", name: "new", source: "n", scheduled: false, at: at).workflowID
                let scheduled = try await repository.create(owner: "ada", name: "nightly", source: "s", scheduled: true, at: at).workflowID
                try await pool.withConnection { connection in
                    _ = try await connection.execute(
                        "UPDATE workflows SET scheduled = NULL WHERE id = ANY(\(bind: [legacyOld, legacyNew].map { Int64($0)! }))")
                }
                #expect(try await repository.scheduledWorkflows(limit: 10).map(\.id) == [scheduled, legacyNew, legacyOld])
                #expect(try await repository.scheduledWorkflows(limit: 2).map(\.id) == [scheduled, legacyNew], "known first")

                try await repository.recordSchedule(workflowID: legacyNew, scheduled: false)
                try await repository.recordSchedule(workflowID: legacyOld, scheduled: true)
                try await repository.recordSchedule(workflowID: scheduled, scheduled: false)
                #expect(try await repository.scheduledWorkflows(limit: 10).map(\.id) == [legacyOld, scheduled], "recorded; a known flag kept")
            }
        }
    }
}
