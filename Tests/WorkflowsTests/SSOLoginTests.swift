import Testing
import Foundation
import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
import TransportTesting
@testable import Workflows

struct PKCETests {
    /// RFC 7636, appendix B.
    @Test func challengeIsTheRFCExample() {
        #expect(PKCE.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func verifiersAreSixtyFourUnreservedCharactersAndDiffer() {
        let a = PKCE(), b = PKCE()
        #expect(a.verifier.count == 64 && a.verifier != b.verifier)
        #expect(a.verifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) })
        #expect(a.challenge == PKCE.challenge(a.verifier) && a.challenge.count == 43)
        #expect(!"\(a)".contains(a.verifier))
    }
}

struct SSOAuthorizationURLTests {
    func oidc(_ endpoint: String) throws -> SSOOIDCClient {
        let core = ClientCore(transport: ScriptedTransport())
        return SSOOIDCClient(client: AWSClient(core: core, keys: nil),
                             endpoint: ResolvedEndpoint(url: try RequestURL(parsing: endpoint), signingRegion: "us-east-1", source: "test"))
    }

    /// As the AWS CLI builds it: the endpoint's scheme and host only, the parameters in its order,
    /// percent-encoded but for the unreserved characters, scopes joined by spaces.
    @Test func parametersInTheAWSCLIOrder() throws {
        let url = try oidc("https://oidc.eu-west-1.amazonaws.com/some/path").authorizationURL(
            clientId: "cid/+=", redirectURI: "http://127.0.0.1:5000/oauth/callback", state: "s-1",
            scopes: ["sso:account:access", "codewhisperer:completions"], codeChallenge: "abc_-")
        #expect(url == "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=cid%2F%2B%3D"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Foauth%2Fcallback&state=s-1&code_challenge_method=S256"
            + "&scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions&code_challenge=abc_-")
        #expect(try oidc("http://127.0.0.1:8080").authorizationURL(clientId: "c", redirectURI: "r", state: "s", scopes: ["a"], codeChallenge: "x")
            .hasPrefix("http://127.0.0.1:8080/authorize?"))
    }
}

struct SSOStartURLTests {
    let owned = "https://d-123.awsapps.com/start"

    @Test func anAWSOwnedStartURLIsUsedAsItIs() throws {
        let transport = ScriptedTransport()
        for url in [owned, "https://ssoins-1.portal.eu-west-1.app.aws", "https://identitycenter.amazonaws.com/ssoins-1"] {
            #expect(try SSOStartURL.resolve(url, configuredRegion: "us-east-2", transport: transport) == SSOStartURL(url: url, region: "us-east-2"))
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func aVanityURLFollowsOneRedirectAndTakesTheRegionFromTheHost() throws {
        let transport = ScriptedTransport([.status(302, headers: [("Location", "https://ssoins-7223.portal.eu-central-1.app.aws/?x=1")])])
        let r = try SSOStartURL.resolve("https://sso.example.com/start", configuredRegion: "us-east-1", transport: transport)
        #expect(r == SSOStartURL(url: "https://ssoins-7223.portal.eu-central-1.app.aws", region: "eu-central-1"))
        #expect(transport.requests.map(\.method) == ["HEAD"])
        #expect(transport.requests[0].url.description == "https://sso.example.com/start")
    }

    @Test func headRefusedFallsBackToGetAndARelativeLocationIsJoined() throws {
        let transport = ScriptedTransport([.status(405), .status(301, headers: [("Location", "/start/")])])
        // The redirect stays on the vanity host: not AWS-owned, refused as the AWS CLI refuses it.
        #expect(throws: AWSError.self) {
            try SSOStartURL.resolve("https://sso.example.com/a/b", configuredRegion: "us-east-1", transport: transport)
        }
        #expect(transport.requests.map(\.method) == ["HEAD", "GET"])
        do {
            _ = try SSOStartURL.resolve("https://sso.example.com/a/b", configuredRegion: "us-east-1",
                                        transport: ScriptedTransport([.status(405), .status(301, headers: [("Location", "/start/")])]))
        } catch {
            #expect("\(error)".contains("Could not resolve start URL 'https://sso.example.com/a/b' to an AWS-owned endpoint. Final URL: 'https://sso.example.com/start'"))
        }
    }

    @Test func aRegionlessOwnedHostKeepsTheConfiguredRegion() throws {
        let transport = ScriptedTransport([.status(307, headers: [("location", "https://d-99.awsapps.com/start#frag")])])
        #expect(try SSOStartURL.resolve("https://login.example.org", configuredRegion: "ap-south-1", transport: transport)
            == SSOStartURL(url: "https://d-99.awsapps.com/start", region: "ap-south-1"))
    }

    @Test func failures() {
        func message(_ url: String, _ answers: [ScriptedAnswer], region: String? = "us-east-1") -> String {
            do {
                _ = try SSOStartURL.resolve(url, configuredRegion: region, transport: ScriptedTransport(answers))
                return "no error"
            } catch {
                guard case .configuration(let e) = error else { return "not a configuration error: \(error)" }
                return e.description
            }
        }
        #expect(message("http://d-1.awsapps.com/start", []) == "The sso_start_url must use the https scheme.")
        #expect(message("https://sso.example.com", [.status(404)]) == "Failed to resolve start URL: HTTP 404")
        #expect(message("https://sso.example.com", [.status(302)]) == "Redirect response missing Location header.")
        #expect(message("https://sso.example.com", [.status(200)])
            == "Could not resolve start URL 'https://sso.example.com' to an AWS-owned endpoint. Final URL: 'https://sso.example.com'")
        #expect(message("https://sso.example.com", [.status(302, headers: [("Location", "http://d-1.awsapps.com/start")])])
            == "Resolved URL must use https. Got: 'http://d-1.awsapps.com/start'")
        #expect(message("https://sso.example.com", [.status(302, headers: [("Location", "https://d-1.awsapps.com/start")])], region: nil)
            == "Cannot determine region from start URL 'https://sso.example.com'. Please provide sso_region in your configuration.")
        #expect(message("https://sso.example.com", [.refused]).hasPrefix("Failed to resolve start URL: "))
    }

    @Test func regionsOfEveryHostForm() {
        let cases: [(String, String?)] = [
            ("ssoins-1.portal.us-west-2.app.aws", "us-west-2"), ("ssoins-1.eu-west-1.portal.amazonaws.com", "eu-west-1"),
            ("i.cn-north-1.portal.amazonaws.com.cn", "cn-north-1"), ("i.portal.cn-northwest-1.app.amazonwebservices.com.cn", "cn-northwest-1"),
            ("i.eusc-de-east-1.portal.amazonaws.eu", "eusc-de-east-1"), ("i.portal.eusc-de-east-1.api.amazonwebservices.eu", "eusc-de-east-1"),
            ("SSOINS-1.PORTAL.US-WEST-2.APP.AWS.", "us-west-2"), ("d-1.awsapps.com", nil), ("a.b.portal.us-west-2.app.aws", nil),
        ]
        for (host, region) in cases { #expect(SSOStartURL.region(ofHost: host) == region, "\(host)") }
        #expect(SSOStartURL.isOwned("awsapps.com") && SSOStartURL.isOwned("X.AWSAPPS.COM.") && !SSOStartURL.isOwned("evilawsapps.com"))
    }
}

struct LoopbackRedirectListenerTests {
    func get(_ port: Int, _ path: String) -> (Int, String)? {
        guard let url = try? RequestURL(parsing: "http://127.0.0.1:\(port)\(path)"),
              let r = try? CurlTransport().send(HTTPRequest(method: "GET", url: url, safety: .idempotent)) else { return nil }
        return (r.status, r.bodyText)
    }

    @Test func returnsTheQueryOfTheCallbackAndAnswersOtherPathsWith404() throws {
        let listener = try LoopbackRedirectListener()
        let port = listener.port
        nonisolated(unsafe) var answers: [(Int, String)?] = []
        let client = Thread {
            answers.append(self.get(port, "/favicon.ico"))
            answers.append(self.get(port, "/oauth/callback?code=a%2Bb+c&state=s&code=second"))
        }
        client.start()
        let query = listener.waitForRedirect(path: "/oauth/callback", page: "<p>done</p>", timeLimit: 10)
        while !client.isFinished { usleep(10_000) }
        #expect(query == ["code": "a+b c", "state": "s"])
        #expect(answers.map { $0?.0 } == [404, 200] && answers[1]?.1 == "<p>done</p>")
    }

    @Test func givesUpAtTheTimeLimit() throws {
        let listener = try LoopbackRedirectListener()
        let start = Date()
        #expect(listener.waitForRedirect(path: "/oauth/callback", page: "", timeLimit: 0.3) == nil)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func formQueriesAsPythonReadsThem() {
        #expect(FormQuery.parse("a=1&b=%41%zz&&c&a=2&d=x=y") == ["a": "1", "b": "A%zz", "c": "", "d": "x=y"])
    }
}
