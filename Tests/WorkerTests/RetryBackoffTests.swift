import Testing
import Worker

@Suite struct RetryBackoffTests {
    @Test func backoffGrowsAndIsCapped() {
        #expect(RetryBackoff.delay(attempts: 0) < 40)
        #expect(RetryBackoff.delay(attempts: 3) > 200)
        #expect(RetryBackoff.delay(attempts: 50) <= 6 * 3600 * 1.1)
    }
}
