import Foundation

/// CPU time and peak memory of this process, from getrusage.
struct ProcessUsage {
    var cpuSeconds: Double
    /// Peak resident set size in MiB (Linux reports ru_maxrss in KiB).
    var peakRSSMiB: Double

    static func current() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ProcessUsage(cpuSeconds: cpu, peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }
}
