import CCurl
import Foundation
import WorkflowJSON

/// One transfer of a ``CurlMultiLoop``: owns the easy handle, its header lists and error buffer
/// (freed in `deinit`), and collects the response through curl's callbacks. Created, driven and
/// released on the loop's thread; results leave it as a Sendable ``HTTPResponse`` copy.
final class CurlTransfer {
    /// The easy handle, for `curl_multi_add_handle` and to match `CURLMSG_DONE` messages.
    let handle: UnsafeMutableRawPointer
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private var resolveEntries: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let cancellation: CancellationFlag
    private let maxResponseBytes: Int
    private var body = Data()
    private var headers: [String: String] = [:]
    private var exceededLimit = false

    private init(handle: UnsafeMutableRawPointer, cancellation: CancellationFlag, maxResponseBytes: Int) {
        self.handle = handle
        self.cancellation = cancellation
        self.maxResponseBytes = maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(requestHeaders)
        curl_slist_free_all(resolveEntries)
        errorBuffer.deallocate()
    }

    /// A configured transfer of `request` to `target` that aborts once `cancellation` is set;
    /// add its ``handle`` to a multi handle to run it.
    static func make(_ request: HTTPRequest, target: HTTPTarget, cancellation: CancellationFlag) -> Result<CurlTransfer, HTTPClientError> {
        guard !cancellation.isCancelled else { return .failure(.cancelled) }
        guard let handle = curl_easy_init() else { return .failure(.other("curl_easy_init failed")) }
        let transfer = CurlTransfer(handle: handle, cancellation: cancellation, maxResponseBytes: request.maxResponseBytes)
        return Result { () throws(HTTPClientError) in
            try transfer.configure(request, target: target)
            return transfer
        }
    }

    private func configure(_ request: HTTPRequest, target: HTTPTarget) throws(HTTPClientError) {
        try set(CURLOPT_URL, string: request.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        let timeout = request.timeout.components
        try set(CURLOPT_TIMEOUT_MS, max(1, Int(timeout.seconds) * 1000 + Int(timeout.attoseconds / 1_000_000_000_000_000)))
        try check(lr_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))

        let userdata = Unmanaged.passUnretained(self).toOpaque()
        try check(lr_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            guard let data, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        try check(lr_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata))
        try check(lr_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
            guard let data, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        try check(lr_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata))
        try set(CURLOPT_NOPROGRESS, 0)
        try check(lr_curl_setopt_xferinfo_function(handle) { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue().cancellation.isCancelled ? 1 : 0
        })
        try check(lr_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata))

        // An empty `Expect:` stops curl from waiting for `100 Continue` before sending a body.
        let headerLines = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } + ["Expect:"]
        requestHeaders = try append(headerLines, to: requestHeaders)
        try check(lr_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders))
        // An address literal (`http://[::1]/`) is connected to as written, which is what was checked.
        if let addresses = request.connectTo, !target.isAddressLiteral {
            guard !addresses.isEmpty else { throw .connection("no address to connect to for \(target.host)") }
            let pinned = addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
            resolveEntries = try append(["\(target.host):\(target.port):\(pinned)"], to: resolveEntries)
            try check(lr_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolveEntries))
        }
        try configureMethod(request)
    }

    private func configureMethod(_ request: HTTPRequest) throws(HTTPClientError) {
        let method = request.method.uppercased()
        if let body = request.body {
            try check(lr_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
            let code = body.isEmpty
                ? "".withCString { lr_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                : body.withUnsafeBytes { lr_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            try check(code)
        }
        switch method {
        case "GET" where request.body == nil: try set(CURLOPT_HTTPGET, 1)
        case "POST" where request.body != nil: break
        case "HEAD": try set(CURLOPT_NOBODY, 1)
        default: try set(CURLOPT_CUSTOMREQUEST, string: method)
        }
    }

    /// Whether the caller gave up on this transfer.
    var isCancelled: Bool { cancellation.isCancelled }

    /// The response, once the multi handle reported this transfer done with `code`.
    func finish(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        Result { () throws(HTTPClientError) in try response(code) }
    }

    private func response(_ code: CURLcode) throws(HTTPClientError) -> HTTPResponse {
        if cancellation.isCancelled { throw .cancelled }
        var status = 0
        if exceededLimit {
            // An error status comes back with its body cut at the limit: what failed matters more than why, in full.
            guard lr_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status >= 400 else { throw .tooLarge }
            return HTTPResponse(status: status, headers: headers, body: body)
        }
        guard code == CURLE_OK else { throw error(for: code) }
        try check(lr_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    // MARK: - Callbacks (on the loop's thread, inside curl_multi_perform)

    /// Returns the number of bytes taken; anything else makes curl abort with `CURLE_WRITE_ERROR`.
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !cancellation.isCancelled else { return 0 }
        guard body.count + bytes.count <= maxResponseBytes else {
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = bytes[...].trimmingASCIIWhitespace()
        if line.starts(with: "HTTP/".utf8) {
            headers = [:]  // A new response (after `100 Continue`): start over.
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon].trimmingASCIIWhitespace(), as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...].trimmingASCIIWhitespace(), as: UTF8.self)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            if name == "content-length", let length = Int(value), length > maxResponseBytes {
                exceededLimit = true
                return 0
            }
        }
        return bytes.count
    }

    // MARK: - Helpers

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(lr_curl_setopt_long(handle, option, value))
    }

    /// curl copies string options, so the C string need only live for the call.
    private func set(_ option: CURLoption, string value: String) throws(HTTPClientError) {
        try check(value.withCString { lr_curl_setopt_string(handle, option, $0) })
    }

    private func append(_ lines: [String], to list: UnsafeMutablePointer<curl_slist>?) throws(HTTPClientError) -> UnsafeMutablePointer<curl_slist>? {
        var list = list
        for line in lines {
            guard let appended = line.withCString({ curl_slist_append(list, $0) }) else { throw .other("curl_slist_append failed") }
            list = appended
        }
        return list
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else { throw error(for: code) }
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidURL
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
            CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION:
            return .connection(message)
        default: return .other("curl: \(message)")
        }
    }
}
