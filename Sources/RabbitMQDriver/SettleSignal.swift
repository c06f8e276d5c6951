import Foundation
import Synchronization
import DriverSupport

/// Lets acknowledgements interrupt a consumer's blocking wait. A consumer connection spends
/// most of its time waiting for the next delivery on its own thread; an ack queued behind that
/// wait used to sit there until the wait timed out (up to 10 ms with deliveries in flight),
/// holding the caller's slot. Callers announce a settle here first (``announce()``: a counter and
/// a byte on a pipe); the wait polls the socket *and* the pipe, returns as soon as either is
/// readable, and the settle runs next on the connection's thread.
final class SettleSignal: Sendable {
    private let pending = Atomic<Int>(0)
    /// Read end, write end; non-blocking.
    private let pipe: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [-1, -1]
        if Glibc.pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        pipe = (fds[0], fds[1])
    }

    deinit {
        for fd in [pipe.read, pipe.write] where fd >= 0 { close(fd) }
    }

    /// A settle is on its way to the connection: wake its wait.
    func announce() {
        pending.add(1, ordering: .relaxed)
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }

    /// The announced settle ran (or failed).
    func done() {
        pending.subtract(1, ordering: .relaxed)
    }

    /// Whether a settle is waiting for the connection's thread.
    var isPending: Bool { pending.load(ordering: .relaxed) > 0 }

    /// What ended a ``wait(socket:timeout:)``.
    enum Wake {
        case readable, settle, timeout
    }

    /// Waits until `socket` is readable, a settle is announced, or `timeout` passes.
    func wait(socket: Int32, timeout: Duration) -> Wake {
        var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: pipe.read, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(min(Int64(Int32.max), timeout.wholeMilliseconds))
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(pipe.read, &buffer, buffer.count) > 0 {}
            return .settle
        }
        return ready > 0 ? .readable : .timeout
    }
}
