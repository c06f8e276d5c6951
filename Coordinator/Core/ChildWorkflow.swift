import Foundation
public import WorkflowDrivers
import WorkflowJSON
public import WorkflowEngine
public import WorkflowProtocol

/// The rules for `workflow:` callbacks that embedded and distributed mode share: a child's
/// execution id follows from its parent's task (so starting it twice finds the first one), how
/// deep children may nest, and what a finished child means to its parent's task.
public enum ChildWorkflow {
    /// Children of children of ... at most this deep.
    public static let maxDepth = 10

    /// The default of how many child executions one root may have, at every depth together
    /// (``ExecutionStore/admitChild(_:of:limit:)``): without a bound a workflow mapping over N
    /// items, each starting it again, could start N^10.
    public static let defaultTreeLimit = 10_000

    /// Why a child may not start now, as the parent task's failure (`child_depth_exceeded`,
    /// `child_limit_exceeded`); `nil` when it may. Counts the child into its root's tree in
    /// `store`, which may hold at most `treeLimit` children: call it before looking the child's
    /// workflow up, and a child admitted counts even if its start then fails.
    public static func refusal(
        toStart childID: String, of parentID: String, in store: any ExecutionStore, treeLimit: Int
    ) async throws -> TaskFailure? {
        guard depth(of: childID) <= maxDepth else {
            return TaskFailure(errorClass: "child_depth_exceeded", message: "workflows nest deeper than \(maxDepth) levels")
        }
        guard try await store.admitChild(childID, of: parentID, limit: treeLimit) else {
            return TaskFailure(
                errorClass: "child_limit_exceeded", message: "this workflow's tree already started \(treeLimit) child executions, the most it may")
        }
        return nil
    }

    /// The child's execution id for the parent task `taskID`: stable, ending in `~child`, without
    /// `/` or `#` (a child of a map iteration keeps its thread's `[0]`, which URLs carry encoded).
    public static func executionID(forTask taskID: String) -> String {
        taskID.replacingOccurrences(of: "/", with: ".").replacingOccurrences(of: "#", with: "-") + "~child"
    }

    /// How deep `executionID` nests (0 for a top-level execution).
    public static func depth(of executionID: String) -> Int {
        executionID.components(separatedBy: "~child").count - 1
    }

    /// What a finished child execution means to its parent's task.
    public static func outcome(of child: ExecutionInstance) -> TaskOutcome {
        switch child.status {
        case .completed:
            return .succeeded(child.output ?? .null)
        case .timedOut:
            return .failed(TaskFailure(errorClass: "timeout", message: "child workflow `\(child.workflowName)` timed out"))
        case .cancelled:
            return .failed(TaskFailure(errorClass: "child_cancelled", message: "child workflow `\(child.workflowName)` was cancelled"))
        default:
            let error = child.error ?? TaskFailure(errorClass: "child_failed", message: "failed")
            return .failed(TaskFailure(errorClass: error.errorClass, message: "child workflow `\(child.workflowName)` failed: \(error.message)"))
        }
    }
}
