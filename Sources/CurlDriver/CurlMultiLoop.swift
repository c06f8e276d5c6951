import CCurl
import Foundation
import Synchronization

/// Every HTTP transfer of the process on one thread: a curl multi handle driven by
/// `curl_multi_poll`. Transfers start no thread of their own and share the multi handle's
/// connection cache, so calls to the same host and port reuse kept-alive connections.
///
/// Callers hand a request over (``perform(_:target:cancellation:)``) and are resumed with its
/// result; the loop is woken with `curl_multi_wakeup` (the one call made from other threads,
/// thread-safe by libcurl's contract) when a transfer is submitted or cancelled. A cancelled
/// transfer is removed from the multi handle at the loop's next turn.
///
/// Address pinning (``HTTPRequest/connectTo``) goes through `CURLOPT_RESOLVE`, which writes the
/// multi handle's shared DNS cache: a transfer may connect to, or reuse a connection to, an address
/// another transfer pinned for the same host and port. Every pinned address has passed the same
/// worker's address policy, so no unchecked address is ever reached.
final class CurlMultiLoop: @unchecked Sendable {  // the multi handle is touched only by the loop thread, except curl_multi_wakeup
    /// The process's loop, started on first use.
    static let shared = CurlMultiLoop()

    private struct Submission: Sendable {
        var request: HTTPRequest
        var target: HTTPTarget
        var cancellation: CancellationFlag
        var continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>
    }

    /// A transfer on the multi handle and the caller waiting for it.
    private struct Running {
        var transfer: CurlTransfer
        var continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>
    }

    private let multi: UnsafeMutableRawPointer
    private let submissions = Mutex<[Submission]>([])

    private init() {
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        self.multi = multi
        let thread = Thread { [self] in runLoop() }
        thread.name = "CurlMultiLoop"
        thread.start()
    }

    /// Runs `request` against `target` on the loop; aborts once `cancellation` is set (call
    /// ``wakeUp()`` after setting it).
    func perform(_ request: HTTPRequest, target: HTTPTarget, cancellation: CancellationFlag) async -> Result<HTTPResponse, HTTPClientError> {
        await withCheckedContinuation { continuation in
            submissions.withLock {
                $0.append(Submission(request: request, target: target, cancellation: cancellation, continuation: continuation))
            }
            wakeUp()
        }
    }

    /// Makes the loop take new submissions and look at cancellations now.
    func wakeUp() {
        curl_multi_wakeup(multi)
    }

    private func runLoop() {
        var running: [UnsafeMutableRawPointer: Running] = [:]
        while true {
            start(submissions.withLock { pending in
                defer { pending = [] }
                return pending
            }, into: &running)
            removeCancelled(from: &running)
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            finishDone(in: &running)
            // Waits for socket activity, curl's own next timeout or a wake-up, at most a second.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ batch: [Submission], into running: inout [UnsafeMutableRawPointer: Running]) {
        for submission in batch {
            switch CurlTransfer.make(submission.request, target: submission.target, cancellation: submission.cancellation) {
            case .failure(let error):
                submission.continuation.resume(returning: .failure(error))
            case .success(let transfer):
                let code = curl_multi_add_handle(multi, transfer.handle)
                guard code == CURLM_OK else {
                    let reason = String(cString: curl_multi_strerror(code))
                    submission.continuation.resume(returning: .failure(.other("curl_multi_add_handle: \(reason)")))
                    continue
                }
                running[transfer.handle] = Running(transfer: transfer, continuation: submission.continuation)
            }
        }
    }

    private func removeCancelled(from running: inout [UnsafeMutableRawPointer: Running]) {
        for (handle, entry) in running where entry.transfer.isCancelled {
            curl_multi_remove_handle(multi, handle)
            running[handle] = nil
            entry.continuation.resume(returning: .failure(.cancelled))
        }
    }

    private func finishDone(in running: inout [UnsafeMutableRawPointer: Running]) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let entry = running.removeValue(forKey: handle) else { continue }
            let code = message.pointee.data.result
            let result = entry.transfer.finish(code)
            curl_multi_remove_handle(multi, handle)
            entry.continuation.resume(returning: result)
        }
    }
}
