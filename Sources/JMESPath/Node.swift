import AWSCore

/// A compiled expression: the tree jmespath.py's parser builds, one case per node type.
indirect enum Node: Sendable {
    enum Comparator: String, Sendable { case eq = "==", ne = "!=", lt = "<", lte = "<=", gt = ">", gte = ">=" }

    /// The value itself (`@`, and the implied right side of a projection).
    case current
    case field(String)
    case subexpression(Node, Node)
    case index(Int)
    /// `left[index]` or `left[slice]`: the right side applied to the left's result.
    case indexExpression(Node, Node)
    case slice(start: Int?, stop: Int?, step: Int?)
    case literal(JSONValue)
    case multiSelectList([Node])
    case multiSelectHash([(key: String, value: Node)])
    case comparison(Comparator, Node, Node)
    case or(Node, Node)
    case and(Node, Node)
    case not(Node)
    case pipe(Node, Node)
    /// `left[*].right`, `left[].right`, `left[1:].right`: right over each element of a list.
    case projection(Node, Node)
    /// `left.*.right`: right over each value of an object.
    case valueProjection(Node, Node)
    /// `left[?condition].right`
    case filterProjection(Node, Node, condition: Node)
    case flatten(Node)
    case function(String, [Node])
    /// `&expression`, an argument a function evaluates itself (`sort_by`, `map`).
    case expressionReference(Node)
}
