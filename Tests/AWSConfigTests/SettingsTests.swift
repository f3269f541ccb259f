import Testing
import AWSCore
@testable import AWSConfig

struct EndpointSettingsTests {
    @Test func overridesInTheAWSCLIsOrder() throws {
        let e = Environment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:2"])
        let settings = try EndpointSettings.resolve(commandLine: nil, environment: e)
        #expect(settings.configured(for: .secretsManager)?.value == "http://127.0.0.1:2")
        #expect(settings.configured(for: .ssm) == SourcedValue("http://127.0.0.1:1", source: "AWS_ENDPOINT_URL"))
        let flag = try EndpointSettings.resolve(commandLine: "http://127.0.0.1:3", environment: e)
        #expect(flag.configured(for: .ssm)?.source == "--endpoint-url")
        #expect(flag.configured(for: .sts, useCommandLine: false)?.value == "http://127.0.0.1:1")
        var ignoring = e
        ignoring.variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try EndpointSettings.resolve(commandLine: nil, environment: ignoring).configured(for: .ssm) == nil)
    }

    @Test func organizationsHasItsOwnVariable() throws {
        let e = Environment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_ORGANIZATIONS": "http://127.0.0.1:2"])
        let settings = try EndpointSettings.resolve(commandLine: nil, environment: e)
        #expect(settings.configured(for: .organizations) == SourcedValue("http://127.0.0.1:2", source: "AWS_ENDPOINT_URL_ORGANIZATIONS"))
    }
}

struct NumericSettingTests {
    @Test func refusesWhatIsNotAPlainNumberInRange() throws {
        #expect(try NumericSetting.seconds("2.5", name: "t", within: 0.001...60) == 2.5)
        for bad in ["1e300", "inf", "nan", "-1", "0", "", " ", "0x10", "9223372036854775807", "1,5", "61"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try NumericSetting.seconds(bad, name: "t", within: 0.001...60) }
        }
        #expect(try NumericSetting.integer("3", name: "n", within: 1...10) == 3)
        for bad in ["0", "11", "-3", "3.0", "1e3", "99999999999999999999", "+3"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try NumericSetting.integer(bad, name: "n", within: 1...10) }
        }
    }

    @Test func metadataAndRetrySettingsAreRangeChecked() throws {
        #expect(throws: ConfigurationError.self) {
            try InstanceMetadataSettings.resolve(Environment(["AWS_METADATA_SERVICE_TIMEOUT": "1e300"]), profile: nil)
        }
        #expect(throws: ConfigurationError.self) {
            try InstanceMetadataSettings.resolve(Environment(["AWS_METADATA_SERVICE_NUM_ATTEMPTS": "9223372036854775807"]), profile: nil)
        }
        #expect(try InstanceMetadataSettings.resolve(Environment(["AWS_METADATA_SERVICE_TIMEOUT": "2"]), profile: nil).timeout == 2)
        #expect(throws: ConfigurationError.self) { try RetrySettings.resolve(environment: Environment(["AWS_MAX_ATTEMPTS": "0"]), profile: nil) }
        #expect(try RetrySettings.resolve(environment: Environment(["AWS_MAX_ATTEMPTS": "5"]), profile: nil).maxAttempts == 5)
    }
}

struct SharedFileRulesTests {
    @Test func namesAndValuesThatWouldReadBackAsSomethingElseAreRefused() {
        for bad in ["x]\n[prod", "a b", " lead", "trail ", "", "[x", "x]", "a\rb", "tab\tx", "semi;colon", "hash#", String(repeating: "n", count: 256)] {
            #expect(SharedFileRules.profileNameProblem(bad) != nil, "\(bad)")
        }
        // No SDK limits a name's length: an account name of 50 and a permission set of 32 make 83.
        for good in ["prod", "some-thing:long/the_one%only.foo@bar+", "default", String(repeating: "n", count: 255)] {
            #expect(SharedFileRules.profileNameProblem(good) == nil, "\(good)")
        }
        #expect(SharedFileRules.valueProblem(key: "k", value: "AKIA\ncredential_process = x") != nil)
        #expect(SharedFileRules.valueProblem(key: "k", value: " padded") != nil)
        #expect(SharedFileRules.valueProblem(key: "k", value: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY") == nil)
    }
}
