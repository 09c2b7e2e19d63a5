import Testing
@testable import Strata

@Suite struct SmokeTests {
    @Test func errorDescriptionJoinsDetail() {
        let error = StrataError(.usage, "Bad.", detail: "More.")
        #expect(error.description == "Bad.\nMore.")
    }
}
