import AWSClients
import AWSCore

/// Reads parameter hierarchies, large ones in parallel where the permissions allow.
///
/// `GetParametersByPath` pages chain by `NextToken`, ten parameters at a time, so a large tree
/// costs one round trip per ten parameters, one after another. Every path starts that way; a
/// path still going after `pagesBeforeParallel` pages switches to the parallel plan: its names
/// from `DescribeParameters` (the same Path filter, 50 a page), and the values not read yet
/// with `GetParameters`, ten names a call, started as each page of names arrives
/// (`ParameterBatchPipeline`), `width` calls at once across all paths. If either
/// call is refused (a policy that allows only `GetParametersByPath`), the path goes on with
/// `GetParametersByPath` from where it stopped. Small trees never see the difference.
public struct ParameterBulkRead: Sendable {
    public let ssm: SSMClient
    /// Calls in flight at once (paths, then batches).
    public let width: Int
    /// Told the running count of parameters read, across paths.
    public let progress: @Sendable (String) -> Void

    /// Pages read one after another before a path is read in parallel.
    public static let pagesBeforeParallel = 5

    public init(ssm: SSMClient, width: Int, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.ssm = ssm
        self.width = width
        self.progress = progress
    }

    /// How one path was read.
    public enum Plan: Sendable, Equatable {
        /// `GetParametersByPath` to the end (a small tree).
        case byPath
        /// `DescribeParameters`, then `GetParameters` in parallel.
        case parallel
        /// `GetParametersByPath` to the end after the parallel plan was refused (the reason).
        case byPathAfterRefusal(String)
    }

    public struct PathRead: Sendable {
        public var path: String
        public var parameters: [Parameter]
        public var plan: Plan

        /// What to tell the user about a large tree's plan; nil for a small tree.
        public var note: String? {
            switch plan {
            case .byPath: return nil
            case .parallel:
                return "read \(path): \(parameters.count) parameters with DescribeParameters, then GetParameters in parallel"
            case .byPathAfterRefusal(let reason):
                return "read \(path): \(parameters.count) parameters with GetParametersByPath, page after page (the parallel plan was refused: \(reason))"
            }
        }
    }

    /// Where one path stands between the phases.
    struct PathState: Sendable {
        var path: String
        var parameters: [Parameter] = []
        var nextToken: String?
        var plan: Plan = .byPath
    }

    public func read(paths: [String], recursive: Bool) throws(AWSError) -> [PathRead] {
        let counter = ParameterCounter(progress: progress)
        let ssm = self.ssm

        // 1. The first pages of each path.
        var states = try Self.each(paths, width: width) { path throws(AWSError) -> PathState in
            var state = PathState(path: path)
            var pages = 0
            repeat {
                let page = try ssm.getParametersByPath(path, recursive: recursive, nextToken: state.nextToken)
                state.parameters += page.items
                counter.add(page.items.count)
                state.nextToken = page.nextToken
                pages += 1
            } while state.nextToken != nil && pages < Self.pagesBeforeParallel
            return state
        }

        // 2. Every large tree's names (DescribeParameters), and the values not read yet
        //    (GetParameters), pipelined; a refusal keeps that path on GetParametersByPath.
        let large = states.indices.filter { states[$0].nextToken != nil }
        if !large.isEmpty {
            let pipeline = ParameterBatchPipeline(ssm: ssm, width: width, paths: large.count, counter: counter)
            let outcomes = try pipeline.run(large.map { (states[$0].path, Set(states[$0].parameters.map(\.name))) }, recursive: recursive)
            for (index, outcome) in zip(large, outcomes) {
                if let refusal = outcome.refusal {
                    states[index].plan = .byPathAfterRefusal(refusal)
                } else {
                    states[index].plan = .parallel
                    states[index].parameters += outcome.parameters
                }
            }
        }

        // 3. Paths refused the parallel plan go on from where their pages stopped (values their
        //    batches did fetch are not used: the pages bring them).
        let refused = large.filter { states[$0].plan != .parallel }
        let finished = try Self.each(refused.map { states[$0] }, width: width) { state throws(AWSError) -> PathState in
            var state = state
            var token = state.nextToken
            while let t = token {
                let page = try ssm.getParametersByPath(state.path, recursive: recursive, nextToken: t)
                state.parameters += page.items
                counter.add(page.items.count)
                token = page.nextToken
            }
            state.nextToken = nil
            return state
        }
        for (i, index) in refused.enumerated() { states[index] = finished[i] }
        return states.map { PathRead(path: $0.path, parameters: $0.parameters, plan: $0.plan) }
    }

    /// A 4xx answer that says "not allowed" rather than "slow down" or "bad credentials".
    static func isRefusal(_ e: AWSServiceError) -> Bool {
        (400..<500).contains(e.httpStatus) && !e.isCredentialError && !RetryPolicy.isThrottling(e)
    }

    /// `body` for every item, `width` at a time, in order; the first failure is thrown.
    static func each<Item: Sendable, Output: Sendable>(_ items: [Item], width: Int,
                                                       _ body: @escaping @Sendable (Item) throws(AWSError) -> Output) throws(AWSError) -> [Output] {
        let results = ConcurrentWork.map(items, width: width) { item in Result { () throws(AWSError) in try body(item) } }
        var out: [Output] = []
        for r in results { out.append(try r.get()) }
        return out
    }
}

/// The running count of parameters read, for the progress line (`read 340 parameters · 170/s`).
final class ParameterCounter: Sendable {
    private let count: ProgressCount

    init(progress: @escaping @Sendable (String) -> Void) { count = ProgressCount("read", "parameters", report: progress) }

    func add(_ n: Int) { count.add(n) }
}
