import HTTPTypes

/// Which methods each documented path template answers, to match a concrete path against
/// (`/v1/executions/abc/cancel` matches `/v1/executions/{id}/cancel`).
struct RouteIndex: Sendable {
    private let templates: [(segments: [Substring], methods: [HTTPRequest.Method])]

    /// An index of `routes` (method, path template with `{parameter}` segments).
    init(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        var byPath: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for route in routes {
            if byPath[route.path] == nil { order.append(route.path) }
            byPath[route.path, default: []].append(route.method)
        }
        templates = order.map { ($0.split(separator: "/"), byPath[$0]!) }
    }

    /// The methods of every template `path` matches, in a stable order.
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var found: [HTTPRequest.Method] = []
        for template in templates where template.segments.count == segments.count {
            let matches = zip(template.segments, segments).allSatisfy { pattern, segment in
                (pattern.first == "{" && pattern.last == "}") || pattern == segment
            }
            if matches { found.append(contentsOf: template.methods.filter { !found.contains($0) }) }
        }
        return found.sorted { $0.rawValue < $1.rawValue }
    }
}
