import Foundation

/// On Ctrl-C, says how to continue the interrupted run, then exits with status 130.
///
/// Nothing needs saving first: every step is committed before its effects run, so the
/// execution resumes from its last committed transition.
final class InterruptNotice {
    private let source: any DispatchSourceSignal

    init(printer: ProgressPrinter, resumeCommand: String) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            printer.line("\ninterrupted — continue with: \(resumeCommand)", style: .warning)
            exit(130)
        }
        source.resume()
        self.source = source
    }

    deinit {
        source.cancel()
    }
}
