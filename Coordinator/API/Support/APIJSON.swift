import Foundation
import Hummingbird
import NIOCore
import WorkflowJSON

/// The API's JSON conventions in one place: snake_case keys come from each representation's
/// coding keys (never a key strategy, which would rewrite user payloads), dates are ISO 8601
/// with milliseconds, and bodies decode with the path of a bad field in the error.
enum APIJSON {
    /// Dates as `2026-05-01T12:00:00.123Z`.
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(dateStyle))
        }
        return encoder
    }

    /// A date given as ISO 8601, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        (try? dateStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// A JSON response of an encodable value.
    static func response(status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        response(status: status, data: try encoder().encode(value), headers: headers)
    }

    /// A JSON response of a JSON value.
    static func response(status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields = [:]) -> Response {
        response(status: status, data: (try? encoder().encode(json)) ?? Data("null".utf8), headers: headers)
    }

    private static func response(status: HTTPResponse.Status, data: Data, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes `T` from `data`; an empty body decodes as `{}` when `emptyAsObject` (every field optional).
    ///
    /// - Throws: `DecodingError`, which ``APIError`` maps to 400 with the field's path.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, emptyAsObject: Bool = true) throws -> T {
        let isBlank = data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return try JSONDecoder().decode(T.self, from: isBlank && emptyAsObject ? Data("{}".utf8) : data)
    }
}

extension Request {
    /// The whole body, at most `context.maxUploadSize` bytes (413 beyond).
    func bodyData(context: APIRequestContext) async throws -> Data {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        return Data(buffer.readableBytesView)
    }

    /// The body decoded as JSON (see ``APIJSON/decode(_:from:emptyAsObject:)``).
    func decodeJSON<T: Decodable>(_ type: T.Type, context: APIRequestContext) async throws -> T {
        try APIJSON.decode(type, from: try await bodyData(context: context))
    }
}
