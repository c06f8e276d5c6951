/// A token's JOSE header: the algorithm, the type, and `crit`, which is refused when present.
struct JWTHeader: Codable {
    var alg: String
    var typ: String?
    var crit: [String]?
}
