import Testing
@testable import AWSCore

struct NearestNamesTests {
    @Test func distanceCountsEditsAndSwaps() {
        #expect(NearestNames.distance("whoamy", "whoami") == 1)
        #expect(NearestNames.distance("sercets", "secrets") == 1)     // two neighbours swapped
        #expect(NearestNames.distance("", "abc") == 3)
        #expect(NearestNames.distance("kitten", "sitting") == 3)
        #expect(NearestNames.distance("same", "same") == 0)
    }

    @Test func nearestFirstWithinReach() {
        let commands = ["whoami", "profiles", "params", "secrets", "sso", "setup"]
        #expect(NearestNames.nearest(to: "whoamy", in: commands) == ["whoami"])
        #expect(NearestNames.nearest(to: "param", in: commands) == ["params"])
        #expect(NearestNames.nearest(to: "WHOAMI", in: commands) == ["whoami"])
        #expect(NearestNames.nearest(to: "xyzzy", in: commands) == [])
        #expect(NearestNames.nearest(to: "ss", in: commands) == ["sso"])
        #expect(NearestNames.nearest(to: "setup", in: commands) == [])   // the name itself is not a suggestion
    }

    @Test func suggestionWording() {
        #expect(NearestNames.suggestion(for: "prdo", in: ["prod", "staging"]) == "did you mean 'prod'?")
        #expect(NearestNames.suggestion(for: "prod-e", in: ["prod", "prod-eu"]) == "did you mean 'prod-eu' or 'prod'?")
        #expect(NearestNames.suggestion(for: "ab", in: ["ac", "ad", "ae", "af"], quote: "`") == "did you mean `ac`, `ad` or `ae`?")
        #expect(NearestNames.suggestion(for: "zzz", in: ["prod"]) == "")
    }
}
