import AWSCore
import Synchronization
import Testing

struct HandOffQueueTests {
    @Test func everyItemReachesOneConsumerAndConsumersEndWhenProducersDo() {
        let queue = HandOffQueue<Int>(producers: 3)
        let taken = Mutex<[Int]>([])
        _ = ConcurrentWork.map(Array(0..<7), width: 7) { slot -> Bool in
            if slot < 3 {
                for page in 0..<20 { queue.put(Array((slot * 1000 + page * 10)..<(slot * 1000 + page * 10 + 10))) }
                queue.producerFinished()
            } else {
                while let item = queue.take() { taken.withLock { $0.append(item) } }
            }
            return true
        }
        let all = taken.withLock { $0 }.sorted()
        #expect(all.count == 600 && Set(all).count == 600)
    }

    @Test func stopEndsEveryTakeWithItemsLeft() {
        let queue = HandOffQueue<Int>(producers: 1)
        queue.put([1, 2])
        #expect(queue.take() == 1)
        queue.stop()
        #expect(queue.take() == nil)
    }

    @Test func noProducersMeansNothingToWaitFor() {
        #expect(HandOffQueue<Int>(producers: 0).take() == nil)
    }
}
