import AWSCore
import Testing
@testable import Workflows

struct DurationTextTests {
    func seconds(_ text: String, bare: DurationText.Unit = .seconds, within range: ClosedRange<Int> = 0...3600) throws(AWSError) -> Int {
        try DurationText.seconds(text, option: "--x", bareUnit: bare, within: range)
    }

    @Test func unitsAndBareNumbers() throws {
        #expect(try ["90", "2m", "1h", "0"].map { text throws(AWSError) in try seconds(text) } == [90, 120, 3600, 0])
        #expect(try seconds("15M") == 900)
        #expect(try seconds("90", bare: .days, within: 0...Int.max) == 90 * 86_400)
        #expect(try seconds("3d", within: 0...Int.max) == 259_200)
    }

    @Test func malformedAndOutOfRangeAreUsageErrors() {
        for (text, message) in [
            ("", "--x '' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("1.5h", "--x '1.5h' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("-5", "--x '-5' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("h", "--x 'h' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("10y", "--x '10y' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("9999999999999", "--x '9999999999999' is not a duration such as 90d, 12h, 15m or 3600s"),
            ("2h", "--x '2h' is out of range: 0s to 1h"),
            ("999999999999d", "--x '999999999999d' is out of range: 0s to 1h"),
        ] {
            do {
                _ = try seconds(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description == message)
                #expect(error.exitStatus == .usage)
            }
        }
    }

    @Test func describeUsesTheLargestWholeUnit() {
        #expect(DurationText.describe(7_776_000) == "90d")
        #expect(DurationText.describe(3600) == "1h")
        #expect(DurationText.describe(5400) == "90m")
        #expect(DurationText.describe(90) == "90s")
        #expect(DurationText.describe(0) == "0s")
    }
}
