import Synchronization
import Testing
@testable import AWSCore
#if canImport(Glibc)
import Glibc
#endif

struct ConcurrentWorkTests {
    @Test func keepsOrderAndRunsAtMostWidthAtOnce() {
        let inFlight = Mutex(0), most = Mutex(0)
        let out = ConcurrentWork.map(Array(0..<40), width: 6) { i -> Int in
            let n = inFlight.withLock { c -> Int in c += 1; return c }
            most.withLock { $0 = max($0, n) }
            usleep(2000)
            inFlight.withLock { $0 -= 1 }
            return i * i
        }
        #expect(out == (0..<40).map { $0 * $0 })
        #expect(most.withLock { $0 } <= 6)
        #expect(most.withLock { $0 } > 1)
    }

    @Test func emptyAndSingleWidth() {
        #expect(ConcurrentWork.map([Int](), width: 4) { $0 } == [])
        #expect(ConcurrentWork.map([1, 2, 3], width: 1) { $0 + 1 } == [2, 3, 4])
    }
}

struct Base64Tests {
    @Test func roundTripsEveryLength() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) % 256) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
    }

    @Test func refusesWhatIsNotBase64() {
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zm9=v") == nil)
        #expect(Base64.decode("Z") == nil)
    }
}

struct IdempotencyTokenTests {
    @Test func isAVersion4UUIDAndDiffersEachTime() {
        let a = IdempotencyToken.make(), b = IdempotencyToken.make()
        #expect(a != b)
        #expect(a.count == 36)
        let parts = a.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(a)[14] == "4")
        #expect("89ab".contains(Array(a)[19]))
    }
}
