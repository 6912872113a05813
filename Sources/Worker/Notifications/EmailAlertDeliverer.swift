package import Foundation
import JSON
package import Logging
package import SMTPClient
package import Store

/// Sends the e-mail deliveries of the notification outbox through the operator's relay (`MTASTS_SMTP_URL`, STARTTLS
/// required, optional AUTH), from `MTASTS_MAIL_FROM`: one plain-text message per event to the account's alert
/// addresses. A refused or unreachable relay is retried on the webhooks' schedule for a day; a permanent refusal
/// (5xx, no STARTTLS, a certificate that does not verify) fails the delivery at once.
package final class EmailAlertDeliverer: Sendable {
    /// How the deliverer reaches the relay.
    package struct Settings: Sendable {
        /// The relay and the sender; nil when the operator configured no relay (deliveries then fail, saying so).
        package var submission: SMTPSubmissionConfiguration?
        /// Where tenants manage their domains, for the link in each message (`MTASTS_PUBLIC_URL`).
        package var publicURL: String
        package var schedule: DeliveryRetrySchedule
        package var lease: Duration

        package init(
            submission: SMTPSubmissionConfiguration?,
            publicURL: String,
            schedule: DeliveryRetrySchedule = DeliveryRetrySchedule(),
            lease: Duration = .seconds(120)
        ) {
            self.submission = submission
            self.publicURL = publicURL
            self.schedule = schedule
            self.lease = lease
        }
    }

    private let queue: EmailDeliveryQueue
    private let client: SMTPSubmissionClient?
    private let settings: Settings
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// - Throws: `SMTPClientError` when the trust roots cannot be loaded.
    package init(
        store: DataStore,
        settings: Settings,
        workerID: String,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) throws {
        self.queue = store.emailDeliveries(workerID: workerID)
        self.client = try settings.submission.map { try SMTPSubmissionClient(configuration: $0, logger: logger) }
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Sends the next due e-mail delivery, if any.
    /// - Returns: whether there was one.
    package func deliverNext() throws -> Bool {
        guard let due = try queue.take(at: clock(), lease: settings.lease) else { return false }
        let now = clock()
        let result: WebhookDeliveryQueue.Result
        do {
            guard let client else {
                throw DeliveryRefusal(message: "no relay is configured (MTASTS_SMTP_URL); alert e-mail cannot be sent")
            }
            let message = try Self.message(for: due, client: client, publicURL: settings.publicURL, at: now)
            let receipt = try client.send(message)
            result = .init(
                disposition: .delivered,
                httpStatus: nil,
                error: receipt.rejectedRecipients.isEmpty
                    ? nil : "refused: " + receipt.rejectedRecipients.map(\.description).joined(separator: "; ")
            )
        } catch let error as SMTPClientError where error.isTransient {
            result = retry(due, at: now, error: error.description)
        } catch let error as SMTPClientError {
            result = .init(disposition: .failed, httpStatus: nil, error: error.description)
        } catch {
            result = .init(disposition: .failed, httpStatus: nil, error: "\(error)")
        }
        if case .failed = result.disposition {
            logger.warning("alert e-mail failed", ["delivery": due.deliveryID.uuidString, "error": result.error ?? ""])
        }
        try queue.record(due, result: result, at: now)
        return true
    }

    /// A permanent failure before anything was sent.
    private struct DeliveryRefusal: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private func retry(_ due: EmailDeliveryQueue.Due, at now: Date, error: String) -> WebhookDeliveryQueue.Result {
        let next = settings.schedule.nextAttempt(
            afterFailedAttempts: due.attempts + 1,
            firstAttempt: due.firstAttemptAt ?? now,
            now: now,
            jitter: Double.random(in: DeliveryRetrySchedule.jitter)
        )
        return .init(disposition: next.map { .retry(at: $0) } ?? .failed, httpStatus: nil, error: error)
    }

    /// The message for one event: the subject names the domain and what happened, the body says what and how to
    /// fix it, with a link to the domain.
    static func message(
        for due: EmailDeliveryQueue.Due,
        client: SMTPSubmissionClient,
        publicURL: String,
        at now: Date
    ) throws -> SMTPMessage {
        let event = try JSONParser.parse(due.body)
        let domain = event["domain"]?.stringValue ?? ""
        let message = event["message"]?.stringValue ?? ""
        let fix = event["fix"]?.stringValue ?? ""
        let condition = event["condition"]?.stringValue ?? ""
        let headline: String
        switch due.eventType {
        case .alertOpened: headline = "Problem: \(condition)"
        case .alertResolved: headline = "Resolved: \(condition)"
        case .mxChangeReady: headline = "Switch the MX records now"
        case .mxChangeCompleted: headline = "MX change completed"
        case .test: headline = "Test"
        }
        let link = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        let body = """
            \(message)

            What to do: \(fix)

            Domain: \(domain)
            See it: \(link)/#/domains/\(domain)
            Condition: \(condition)

            You get this because your account sends its alerts to this address; change that in your account's
            alert settings.
            """
        return try client.makeMessage(
            to: try due.recipients.map { try SMTPMailbox(parsing: $0) },
            subject: "[MTA-STS] \(domain): \(headline)",
            body: body,
            date: Int64(now.timeIntervalSince1970)
        )
    }
}
