import Testing
import AWSCore
@testable import Workflows

struct DestinationSpecTests {
    @Test func everyKindReadsAndPrintsBack() throws {
        let cases: [(String, DestinationSpec)] = [
            ("profile:grafana", .profile("grafana")),
            ("vault:prod", .vault("prod")),
            ("secretsmanager:grafana/ds", .secretsManager(id: "grafana/ds", idField: "AccessKeyId", secretField: "SecretAccessKey")),
            ("secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf?id=k&secret=s",
             .secretsManager(id: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf", idField: "k", secretField: "s")),
            ("ssm:/grafana/aws", .parameterStore(path: "/grafana/aws")),
            ("exec:kubectl apply -f -", .command("kubectl apply -f -")),
        ]
        for (text, spec) in cases {
            #expect(try DestinationSpec(parsing: text) == spec)
            #expect(try DestinationSpec(parsing: spec.description) == spec)
        }
        #expect(try DestinationSpec(parsing: "ssm:/a/b/").description == "ssm:/a/b")
        #expect(try DestinationSpec(parsing: "secretsmanager:x?id=AccessKeyId").description == "secretsmanager:x")
    }

    @Test func malformedDestinationsAreRefusedWithTheRule() {
        let refusals: [(String, String)] = [
            ("", "names no destination kind"), ("grafana", "names no destination kind"), ("s3:b", "unknown destination kind 's3'"),
            ("exec:", "give the command to run"), ("exec:a\u{0}b", "NUL"), ("ssm:/", "a path under the root"),
            ("secretsmanager:", "give a secret name or ARN"), ("secretsmanager:a b", "without spaces"),
            ("secretsmanager:x?id=", "is not id=FIELD or secret=FIELD"), ("secretsmanager:x?id=a&secret=a", "two different fields"),
            ("secretsmanager:x?foo=a", "unknown setting 'foo'"), ("profile:", "--to profile:"), ("vault:a]b", "--to vault:"),
        ]
        for (text, fragment) in refusals {
            #expect(throws: ConfigurationError.self, "\(text)") { try DestinationSpec(parsing: text) }
            do { _ = try DestinationSpec(parsing: text) } catch { #expect(error.description.contains(fragment), "\(text): \(error)") }
        }
    }
}

struct SecretsManagerFieldsTests {
    @Test func fieldsAreReplacedInPlaceOthersKept() {
        let members: [(String, JSONValue)] = [("url", .string("u")), ("AccessKeyId", .string("OLD")), ("n", .number(1)),
                                              ("AccessKeyId", .string("DUP")), ("SecretAccessKey", .string("s"))]
        let out = SecretsManagerDestination.setting([("AccessKeyId", "NEW"), ("SecretAccessKey", "t"), ("Extra", "e")], in: members)
        #expect(out.map(\.0) == ["url", "AccessKeyId", "n", "AccessKeyId", "SecretAccessKey", "Extra"])
        #expect(JSONValue.object(out).serialized() == #"{"url":"u","AccessKeyId":"NEW","n":1,"AccessKeyId":"NEW","SecretAccessKey":"t","Extra":"e"}"#)
    }

    @Test func holdingNeedsBothFieldsAsStrings() throws {
        let hold = { (m: [(String, JSONValue)]) throws(AWSError) in
            try SecretsManagerDestination.holding(of: m, idField: "AccessKeyId", secretField: "SecretAccessKey", spec: "secretsmanager:x")
        }
        #expect(try hold([]) == .nothing)
        #expect(try hold([("AccessKeyId", .string("A")), ("SecretAccessKey", .string("S"))]) == .key(AccessKeyPair(id: "A", secret: "S")))
        #expect(throws: AWSError.self) { try hold([("AccessKeyId", .string("A"))]) }
        #expect(throws: AWSError.self) { try hold([("AccessKeyId", .number(1)), ("SecretAccessKey", .string("S"))]) }
    }
}

struct JournalHoldersTests {
    @Test func theFileAloneIsNamedByItsPathOtherwiseTheDestinations() {
        #expect(Holders(credentialsFile: "/h/c", destinations: ["profile:a", "profile:b"]).hold() == "/h/c holds")
        #expect(Holders(credentialsFile: "/h/c", destinations: ["secretsmanager:s"]).hold() == "secretsmanager:s holds")
        #expect(Holders(credentialsFile: "/h/c", destinations: ["profile:a", "exec:x"]).hold("still holds", "still hold")
                == "profile:a, exec:x still hold")
    }
}
