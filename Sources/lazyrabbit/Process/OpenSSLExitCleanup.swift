#if canImport(Glibc)
import Glibc
#endif

/// Keeps OpenSSL from freeing its global state when the process exits.
///
/// libpq and libcurl use OpenSSL (libpq for SCRAM logins even without TLS), which registers
/// `OPENSSL_cleanup` with `atexit` when it first starts. At exit that cleanup frees every thread's
/// OpenSSL state without a lock, while a connection thread that has just finished may still be
/// freeing its own: glibc then aborts the process with "double free" after the command has done its
/// work (seen once in `admin tokens list`; the race is openssl/openssl#6214). Starting OpenSSL first
/// with `OPENSSL_INIT_NO_ATEXIT` leaves that memory to the operating system, which reclaims it
/// anyway. The function is looked up at run time (libpq loads libcrypto), so building needs no
/// OpenSSL headers, and without libcrypto this does nothing.
enum OpenSSLExitCleanup {
    /// Call before anything uses OpenSSL.
    static func disable() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "OPENSSL_init_crypto") else { return }  // nil: RTLD_DEFAULT
        typealias InitCrypto = @convention(c) (_ options: UInt64, _ settings: OpaquePointer?) -> Int32
        _ = unsafeBitCast(symbol, to: InitCrypto.self)(noAtExit, nil)
        #endif
    }

    /// `OPENSSL_INIT_NO_ATEXIT` (openssl/crypto.h, OpenSSL 1.1.1b and later).
    private static let noAtExit: UInt64 = 0x0008_0000
}
