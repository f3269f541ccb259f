import Testing
@testable import AWSClients
@testable import AWSCore
@testable import Workflows

struct SSMParameterRulesTests {
    @Test func acceptsWhatSSMAccepts() {
        for name in ["x", "/ELASMETRICS/STAGING/MYSQL/PASSWORD", "/a.b/c-d/e_f", "awsome".replacing("aws", with: "AWx"),
                     "/" + Array(repeating: "l", count: 15).joined(separator: "/")] {
            #expect(SSMParameterRules.nameProblem(name) == nil, "\(name)")
        }
        #expect(SSMParameterRules.pathProblem("/") == nil)
        #expect(SSMParameterRules.pathProblem("/a/b/") == nil)
    }

    @Test func refusesEachBrokenRule() {
        #expect(SSMParameterRules.nameProblem("") == "a parameter name cannot be empty")
        #expect(SSMParameterRules.nameProblem("a:b")?.contains("holds ':'") == true)
        #expect(SSMParameterRules.nameProblem("a/b")?.contains("must start with '/'") == true)
        #expect(SSMParameterRules.nameProblem("/a/")?.contains("ends with '/'") == true)
        #expect(SSMParameterRules.nameProblem("/a//b")?.contains("empty level") == true)
        #expect(SSMParameterRules.nameProblem("/" + Array(repeating: "l", count: 16).joined(separator: "/"))?.contains("16 levels") == true)
        #expect(SSMParameterRules.nameProblem("/AwS/x")?.contains("starts with 'AwS'") == true)
        #expect(SSMParameterRules.nameProblem("ssm-thing")?.contains("starts with 'ssm'") == true)
        #expect(SSMParameterRules.pathProblem("a/b")?.contains("paths start with '/'") == true)
        #expect(SSMParameterRules.valueProblem(String(repeating: "é", count: 2049), tier: nil)?.contains("4098 bytes") == true)
        #expect(SSMParameterRules.valueProblem(String(repeating: "v", count: 8192), tier: .advanced) == nil)
        #expect(SSMParameterRules.labelProblem("1abc") != nil)
        #expect(SSMParameterRules.labelProblem("golden") == nil)
    }
}

struct ParameterRootTests {
    @Test func relativeNamesLiveUnderPrefixAndEnv() {
        let root = ParameterRoot(prefix: "/ELASMETRICS/", env: "STAGING")
        #expect(root.path == "/ELASMETRICS/STAGING")
        #expect(root.fullName("MYSQL/PASSWORD") == "/ELASMETRICS/STAGING/MYSQL/PASSWORD")
        #expect(root.fullName("/OTHER/X") == "/OTHER/X")
        #expect(root.fullPath(".") == "/ELASMETRICS/STAGING")
        #expect(ParameterRoot(prefix: nil, env: nil).fullName("plain") == "plain")
        let fromEnv = ParameterRoot.resolve(prefix: nil, env: "PROD",
                                            environment: Environment(["CREDCTL_PARAMS_PREFIX": "APP", "CREDCTL_PARAMS_ENV": "STAGING"]))
        #expect(fromEnv.path == "/APP/PROD")
        #expect(ParameterRoot.relativeName("/A/B/C/D", under: "/A/B/") == "C/D")
        #expect(ParameterRoot.relativeName("/A/B/C/D", under: "/") == "A/B/C/D")
    }
}

struct ParameterVariablesTests {
    func parameter(_ name: String, _ value: String) -> Parameter { Parameter(name: name, type: .string, value: value, version: 1) }

    @Test func naming() {
        #expect(ParameterVariables.variableName(forRelativeName: "MYSQL/PASSWORD") == "MYSQL_PASSWORD")
        #expect(ParameterVariables.variableName(forRelativeName: "db-url.primary") == "DB_URL_PRIMARY")
        #expect(ParameterVariables.variableName(forRelativeName: "9lives") == "_9LIVES")
    }

    @Test func laterPathsOverrideAndCollisionsFail() throws {
        var v = ParameterVariables()
        try v.add([parameter("/a/USER", "1"), parameter("/a/HOST", "h")], from: "/a")
        try v.add([parameter("/b/USER", "2")], from: "/b")
        #expect(v.variables.map(\.name) == ["HOST", "USER"])
        #expect(v.variables.map(\.value) == ["h", "2"])
        #expect(throws: AWSError.self) { try v.add([parameter("/c/x-y", "1"), parameter("/c/X_Y", "2")], from: "/c") }
    }

    @Test func renderingQuotesEveryValue() throws {
        var v = ParameterVariables()
        try v.add([parameter("/a/K", "it's a \\ \"x\"\nz")], from: "/a")
        #expect(try v.render(.dotenv) == "K=\"it's a \\\\ \\\"x\\\"\\nz\"\n")
        #expect(try v.render(.env) == "export K='it'\\''s a \\ \"x\"\nz'\n")
        #expect(try v.render(.yaml) == "\"K\": \"it's a \\\\ \\\"x\\\"\\nz\"\n")
        #expect(ParameterVariables.yamlQuoted("a\u{7F}b\u{85}\u{2028}") == "\"a\\u007fb\\u0085\\u2028\"")
        var dollar = ParameterVariables()
        try dollar.add([parameter("/a/K", "pa${HOME}ss")], from: "/a")
        #expect(throws: AWSError.self) { try dollar.render(.dotenv) }
        #expect(try dollar.render(.env) == "export K='pa${HOME}ss'\n")
    }
}

struct ImportFileTests {
    func parse(_ text: String, _ format: ImportFile.Format? = nil) throws -> [String] {
        try ImportFile.parse(Array(text.utf8), format: format).map { "\($0.name)=\($0.value)" }
    }

    @Test func dotenvAsPythonDotenvReadsIt() throws {
        let text = """
            # comment
            export A=plain value  # trailing comment
            B='single \\' and \\\\ and \\n kept'
            C="double\\ttab\\nline \\"q\\""
            D='multi
            line'
            E=
            F=a#not-a-comment
            """
        #expect(try parse(text) == ["A=plain value", "B=single ' and \\ and \\n kept", "C=double\ttab\nline \"q\"",
                                    "D=multi\nline", "E=", "F=a#not-a-comment"])
    }

    @Test func dotenvErrorsNameTheLine() {
        #expect(throws: ImportFile.ParseError(description: "line 2: expected NAME=value (the line's text is not shown: it may be a secret)")) { try parse("A=1\nB\n") }
        #expect(throws: ImportFile.ParseError(description: "line 1: the value's double quote is never closed")) { try parse("A=\"x\n") }
        #expect(throws: ImportFile.ParseError(description: "line 1: unexpected text after the closing quote")) { try parse("A='x' y\n") }
    }

    @Test func jsonNestsAndRefusesArrays() throws {
        #expect(try parse(" {\"A\": {\"B\": \"x\", \"C\": 1.5}, \"D\": true}") == ["A/B=x", "A/C=1.5", "D=true"])
        #expect(throws: ImportFile.ParseError.self) { try parse("{\"A\": [1]}") }
        #expect(throws: ImportFile.ParseError.self) { try parse("[1]", .json) }
    }
}

struct TransferPlanTests {
    @Test func createsUpdatesLeavesAloneAndConflicts() throws {
        let existing = [Parameter(name: "/d/SAME", type: .string, value: "1", version: 1),
                        Parameter(name: "/d/DIFF", type: .string, value: "old", version: 1)]
        let entries: [(name: String, value: String, type: ParameterType)] = [(name: "/d/NEW", value: "n", type: .string), (name: "/d/SAME", value: "1", type: .string),
                       (name: "/d/DIFF", value: "new", type: .string)]
        let plan = try ParameterTransfer(entries: entries, existing: existing, overwrite: false)
        #expect(plan.items.map(\.action) == [.create, .unchanged, .conflict])
        let overwrite = try ParameterTransfer(entries: entries, existing: existing, overwrite: true)
        #expect(overwrite.items.map(\.action) == [.create, .unchanged, .update])
        #expect(throws: AWSError.self) {
            try ParameterTransfer(entries: [(name: "/d/X", value: "", type: ParameterType.string)], existing: [], overwrite: false)
        }
        #expect(throws: AWSError.self) {
            try ParameterTransfer(entries: [(name: "/d/X", value: "1", type: ParameterType.string), (name: "/d/X", value: "2", type: ParameterType.string)],
                                  existing: [], overwrite: false)
        }
    }
}

struct CopyPlanTests {
    /// Each request is checked with its own attributes: an Advanced value over 4 KB is planned,
    /// the same value as Standard is refused before anything is written.
    @Test func eachItemIsCheckedAndWrittenWithItsOwnAttributes() throws {
        let big = String(repeating: "x", count: 6000)
        let advanced = PutParameterRequest(name: "/d/BIG", value: big, type: .string, description: "big", tier: .advanced)
        let secure = PutParameterRequest(name: "/d/PW", value: "s", type: .secureString, keyId: "alias/app", tags: [Tag(key: "t", value: "v")])
        let plan = try ParameterTransfer(requests: [(advanced, []), (secure, ["1 parameter policy"])],
                                         existing: [Parameter(name: "/d/PW", type: .secureString, value: "old", version: 1)], overwrite: true)
        #expect(plan.items.map(\.action) == [.create, .update])
        #expect(plan.items[0].request.tier == .advanced && plan.items[0].request.description == "big" && !plan.items[0].request.overwrite)
        #expect(plan.items[1].request.keyId == "alias/app" && plan.items[1].request.overwrite && plan.items[1].notKept == ["1 parameter policy"])
        var standard = advanced
        standard.tier = nil
        #expect(throws: AWSError.self) { try ParameterTransfer(requests: [(standard, [])], existing: [], overwrite: false) }
        let csv = ParameterReport.transfer(plan, outcomes: nil, copy: true).render(.csv)
        #expect(csv == "Name,Type,Action,NotKept\r\n/d/BIG,String,would create,\r\n/d/PW,SecureString,would update,1 parameter policy\r\n")
    }
}

struct SecretJSONKeyTests {
    @Test func picksAField() throws {
        #expect(try SecretJSONKey.value(of: "password", in: #"{"password":"p w","port":5432}"#, secretName: "s") == "p w")
        #expect(try SecretJSONKey.value(of: "port", in: #"{"password":"p w","port":5432}"#, secretName: "s") == "5432")
        #expect(throws: AWSError.self) { try SecretJSONKey.value(of: "x", in: "not json", secretName: "s") }
    }
}
