import Foundation
import Testing
@testable import JMESPath
import AWSCore

/// Every case of the reference implementation's compliance suite (`Tests/Fixtures/jmespath-compliance`):
/// the result, compared as JMESPath compares (numbers by value, objects in any order), or the
/// kind of error. `benchmarks.json` holds timing cases: each must compile and evaluate.
struct ComplianceCase: CustomTestStringConvertible, Sendable {
    let file: String
    let index: Int
    let given: JSONValue
    let expression: String
    let result: JSONValue?
    let error: String?
    var testDescription: String { "\(file) #\(index): \(expression)" }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/jmespath-compliance")
    }

    static func load(benchmarks: Bool) -> [ComplianceCase] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasSuffix(".json") && ($0 == "benchmarks.json") == benchmarks }.sorted()
        var cases: [ComplianceCase] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path),
                  case .array(let groups)? = try? JSONValue.parse([UInt8](data)) else { continue }
            for group in groups {
                for item in group["cases"]?.arrayValue ?? [] {
                    guard let expression = item["expression"]?.stringValue else { continue }
                    cases.append(ComplianceCase(file: name, index: cases.count, given: group["given"] ?? .null,
                                                expression: expression, result: item["result"],
                                                error: item["error"]?.stringValue))
                }
            }
        }
        return cases
    }

    static let all = load(benchmarks: false)
    static let benchmarks = load(benchmarks: true)
}

@Suite struct JMESPathComplianceTests {
    @Test func theSuiteIsAllThere() {
        #expect(ComplianceCase.all.count == 892)
        #expect(Set(ComplianceCase.all.map(\.file)).count == 15)
        #expect(ComplianceCase.benchmarks.count == 16)
    }

    @Test(arguments: ComplianceCase.all)
    func compliance(_ c: ComplianceCase) {
        do {
            let value = try Expression(c.expression).search(c.given)
            #expect(c.error == nil, "expected a \(c.error ?? "") error, got \(value.serialized())")
            if let expected = c.result {
                #expect(Values.equal(value, expected), "got \(value.serialized()), expected \(expected.serialized())")
            }
        } catch {
            #expect(c.error == error.kind.rawValue, "unexpected \(error.kind.rawValue) error: \(error)")
        }
    }

    @Test(arguments: ComplianceCase.benchmarks)
    func benchmarkExpressionsEvaluate(_ c: ComplianceCase) throws {
        _ = try Expression(c.expression).search(c.given)
    }
}
