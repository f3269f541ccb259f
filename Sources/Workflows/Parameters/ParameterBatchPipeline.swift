import AWSClients
import AWSCore
import Synchronization

/// The parallel plan's second half, pipelined: each large path's `DescribeParameters` pages
/// are read one after another (they chain by `NextToken`), and every page's names not read yet
/// become `GetParameters` calls of ten that start at once, while the next page is on its way.
/// `width` threads in all: one per path listing names (at most `width`), the others fetching.
final class ParameterBatchPipeline: Sendable {
    struct Batch: Sendable {
        var path: Int
        var names: [String]
    }

    /// One path's outcome: the values fetched, or why the plan was refused.
    struct Outcome: Sendable {
        var parameters: [Parameter] = []
        var refusal: String?
    }

    private struct State {
        var outcomes: [Outcome]
        var failure: AWSError?
    }

    private let ssm: SSMClient
    private let width: Int
    private let counter: ParameterCounter
    private let state: Mutex<State>
    /// The batches listed and not fetched yet; each path's listing is one producer.
    private let queue: HandOffQueue<Batch>

    init(ssm: SSMClient, width: Int, paths: Int, counter: ParameterCounter) {
        self.ssm = ssm
        self.width = max(1, width)
        self.counter = counter
        state = Mutex(State(outcomes: Array(repeating: Outcome(), count: paths)))
        queue = HandOffQueue(producers: paths)
    }

    /// Lists and fetches every path (`paths[i]`: its path and the names its pages already read).
    func run(_ paths: [(path: String, read: Set<String>)], recursive: Bool) throws(AWSError) -> [Outcome] {
        let listers = min(paths.count, width)
        _ = ConcurrentWork.map(Array(0..<width), width: width) { [self] slot -> Bool in
            if slot < listers {
                for i in stride(from: slot, to: paths.count, by: listers) { list(i, paths[i], recursive: recursive) }
            }
            fetchUntilDone()
            return true
        }
        return try state.withLock { s throws(AWSError) -> [Outcome] in
            if let failure = s.failure { throw failure }
            return s.outcomes
        }
    }

    /// One path's names, a page at a time; each page's unread names queued ten at a time.
    private func list(_ index: Int, _ path: (path: String, read: Set<String>), recursive: Bool) {
        var token: String?
        defer { queue.producerFinished() }
        repeat {
            guard state.withLock({ $0.failure == nil && $0.outcomes[index].refusal == nil }) else { return }
            let page: Page<ParameterMetadata>
            do {
                page = try ssm.describeParameters(path: path.path, recursive: recursive, maxResults: 50, nextToken: token)
            } catch {
                stop(index, error)
                return
            }
            let names = page.items.map(\.name).filter { !path.read.contains($0) }
            let batches = stride(from: 0, to: names.count, by: SSMClient.namesPerCall).map {
                Batch(path: index, names: Array(names[$0..<min($0 + SSMClient.namesPerCall, names.count)]))
            }
            queue.put(batches)
            token = page.nextToken
        } while token != nil
    }

    /// Fetches queued batches (waiting while a page of names is on its way) until every path is
    /// listed and the queue is empty, or a failure stops the read.
    private func fetchUntilDone() {
        while let batch = queue.take() {
            guard state.withLock({ $0.outcomes[batch.path].refusal == nil }) else { continue }
            do {
                let found = try ssm.getParameters(batch.names).found
                counter.add(found.count)
                state.withLock { $0.outcomes[batch.path].parameters += found }
            } catch {
                stop(batch.path, error)
            }
        }
    }

    /// A refusal stops one path's plan; any other failure stops the whole read.
    private func stop(_ index: Int, _ error: AWSError) {
        state.withLock { s in
            if case .service(let e) = error, ParameterBulkRead.isRefusal(e) {
                if s.outcomes[index].refusal == nil { s.outcomes[index].refusal = e.description }
            } else if s.failure == nil {
                s.failure = error
                queue.stop()
            }
        }
    }
}
