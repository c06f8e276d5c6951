@testable import CoordinatorAPI
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowJSON

@Suite struct OpenAPIDocumentTests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        let registered = Set(APITestHarness().router().routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = Set(OpenAPIDocument.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered).sorted())")
        #expect(registered.count == 23)
    }

    @Test func theDocumentIsServedAndItsReferencesResolve() async throws {
        try await APITestHarness().test { client in
            let response = try await client.send(.get, "/openapi.json", as: nil)
            #expect(response.status == .ok)
            #expect(response.json["openapi"] == "3.1.0")
            let schemas = try #require(response.json["components"]?["schemas"]?.objectValue)
            var references: [String] = []
            func collect(_ value: JSONValue) {
                switch value {
                case .object(let fields):
                    if let ref = fields["$ref"]?.stringValue { references.append(ref) }
                    fields.values.forEach(collect)
                case .array(let items): items.forEach(collect)
                default: break
                }
            }
            collect(response.json)
            #expect(!references.isEmpty)
            for reference in references {
                #expect(schemas[String(reference.dropFirst("#/components/schemas/".count))] != nil, "\(reference)")
            }
            let operationIDs = (response.json["paths"]?.objectValue?.values ?? [:].values).flatMap { $0.objectValue?.values.compactMap { $0["operationId"] } ?? [] }
            #expect(Set(operationIDs).count == operationIDs.count, "operation ids are unique")
        }
    }
}
