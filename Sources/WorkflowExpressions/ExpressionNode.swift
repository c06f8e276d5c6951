import WorkflowJSON

/// A node of the parsed syntax tree; `offset` fields point at the token that produced the node.
indirect enum ExpressionNode: Sendable {
    case literal(JSONValue, offset: Int)
    case list([ExpressionNode], offset: Int)
    case map([MapEntry], offset: Int)
    case variable(String, offset: Int)
    case member(ExpressionNode, String, offset: Int)
    case index(ExpressionNode, ExpressionNode, offset: Int)
    case unary(UnaryOperator, ExpressionNode, offset: Int)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, offset: Int)
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode, offset: Int)
    case call(BuiltinFunction, [ExpressionNode], offset: Int)
}

/// One `key: value` entry of a map literal.
struct MapEntry: Sendable {
    var key: ExpressionNode
    var value: ExpressionNode
    var offset: Int
}

/// Prefix operators.
enum UnaryOperator: String, Sendable {
    case not = "!"
    case negate = "-"
}

/// Infix operators.
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case equal = "==", notEqual = "!=", contains = "in", and = "&&", or = "||"

    /// The operator a symbol token stands for, if any.
    init?(symbol: Symbol) {
        self.init(rawValue: symbol.rawValue)
    }
}
