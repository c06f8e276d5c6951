import ArgumentParser
import LazyRabbitCoordinator
import WorkflowDSL

/// What one user may keep in the workflow registry and have unfinished, and how often a schedule
/// may fire; shared by `dev` and `coordinator` (docs/api.md, "Quotas").
struct RegistryArguments: ParsableArguments {
    @Option(help: "Live workflows one user may keep.")
    var maxWorkflowsPerUser: Int = UserQuotas().workflows

    @Option(help: "Live workflows with a schedule one user may keep.")
    var maxScheduledWorkflowsPerUser: Int = UserQuotas().scheduledWorkflows

    @Option(help: "Executions one user may have unfinished (children included) when starting another; past it a start is 429.")
    var maxUnfinishedExecutionsPerUser: Int = UserQuotas().unfinishedExecutions

    @Option(help: ArgumentHelp(
        "The shortest time a schedule may leave between two ticks: 10s (the default), 1m, or seconds. "
            + "Checked when a workflow is stored; the scheduler does not fire one stored before under a shorter minimum.",
        valueName: "duration"), transform: WorkflowDuration.argument)
    var minScheduleInterval: WorkflowDuration = .seconds(Int64(ValidationLimits().minScheduleIntervalSeconds))

    func validate() throws {
        guard maxWorkflowsPerUser > 0, maxScheduledWorkflowsPerUser >= 0, maxUnfinishedExecutionsPerUser > 0 else {
            throw ValidationError(
                "--max-workflows-per-user and --max-unfinished-executions-per-user must be positive, --max-scheduled-workflows-per-user not negative")
        }
        guard minScheduleInterval.milliseconds >= 1000, minScheduleInterval.milliseconds % 1000 == 0 else {
            throw ValidationError("--min-schedule-interval must be a whole number of seconds, at least 1s")
        }
    }

    /// The quotas as the control plane takes them.
    var quotas: UserQuotas {
        UserQuotas(
            workflows: maxWorkflowsPerUser, scheduledWorkflows: maxScheduledWorkflowsPerUser, unfinishedExecutions: maxUnfinishedExecutionsPerUser)
    }

    /// `limits` with this minimum schedule interval.
    func applied(to limits: ValidationLimits) -> ValidationLimits {
        var limits = limits
        limits.minScheduleIntervalSeconds = Int(minScheduleInterval.milliseconds / 1000)
        return limits
    }
}
