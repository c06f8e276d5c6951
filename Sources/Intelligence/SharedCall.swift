import Synchronization

/// One model call that identical requests share (``AnswerCache``). Each request joins and waits
/// on its own: a waiter that is cancelled (its task's timeout) leaves at once with `cancelled`,
/// and the others keep waiting. The call itself is cancelled only when every waiter has left —
/// after which no one can join it again.
final class SharedCall: Sendable {
    private struct State {
        /// The creator holds ticket 0.
        var members = 1
        var nextTicket = 1
        var waiting: [Int: CheckedContinuation<Result<ChatCompletion, LLMError>, Never>] = [:]
        var left: Set<Int> = []
        var result: Result<ChatCompletion, LLMError>?
        var abandoned = false
        var call: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// The creator's ticket.
    static let creatorTicket = 0

    /// Starts `ask` at once, for its creator (``creatorTicket``); `done` runs when it ends
    /// (answered, failed or cancelled).
    init(_ ask: @escaping @Sendable () async throws(LLMError) -> ChatCompletion, done: @escaping @Sendable () -> Void) {
        let call = Task { [self] in
            let result: Result<ChatCompletion, LLMError>
            do throws(LLMError) {
                result = .success(try await ask())
            } catch {
                result = .failure(error)
            }
            settle(result)
            done()
        }
        state.withLock { $0.call = call }
    }

    /// Keeps `result` and gives it to everyone waiting.
    private func settle(_ result: Result<ChatCompletion, LLMError>) {
        let waiting = state.withLock { state in
            state.result = result
            defer { state.waiting = [:] }
            return state.waiting
        }
        for continuation in waiting.values { continuation.resume(returning: result) }
    }

    /// How many requests wait for it.
    var waiting: Int { state.withLock { $0.result == nil ? $0.members : 0 } }

    /// Whether the call has ended, or was given up by everyone: a new request must not join it.
    var isSettled: Bool { state.withLock { $0.result != nil || $0.abandoned } }

    /// A ticket to wait for the call with, or `nil` when it has ended or every earlier waiter left
    /// (an answer worth reusing is kept by the cache; a failure must be asked again).
    func join() -> Int? {
        state.withLock { state in
            guard !state.abandoned, state.result == nil else { return nil }
            state.members += 1
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
    }

    /// The call's result for `ticket`'s holder; `cancelled` at once if the waiting task is cancelled.
    func result(for ticket: Int) async -> Result<ChatCompletion, LLMError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Result<ChatCompletion, LLMError>? in
                    if let result = state.result { return result }
                    if state.left.contains(ticket) { return .failure(Self.cancelled) }
                    state.waiting[ticket] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            leave(ticket)
        }
    }

    private func leave(_ ticket: Int) {
        let (continuation, call) = state.withLock { state -> (CheckedContinuation<Result<ChatCompletion, LLMError>, Never>?, Task<Void, Never>?) in
            guard state.result == nil, state.left.insert(ticket).inserted else { return (nil, nil) }
            state.members -= 1
            let continuation = state.waiting.removeValue(forKey: ticket)
            guard state.members == 0 else { return (continuation, nil) }
            state.abandoned = true
            return (continuation, state.call)
        }
        continuation?.resume(returning: .failure(Self.cancelled))
        call?.cancel()
    }

    private static let cancelled = LLMError(.cancelled, "the call was cancelled")
}
