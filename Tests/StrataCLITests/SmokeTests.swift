import Testing
@testable import Strata

@Suite struct CLISmokeTests {
    @Test func errorDescriptionJoinsDetail() {
        let error = StrataError(.usage, "Bad.", detail: "More.")
        #expect(error.description == "Bad.\nMore.")
    }
}
