package import Crypto
package import Foundation
import HTTPCore
package import Logging
package import Store
package import WebClient

/// Sends the outbox's webhook deliveries: takes one due delivery, signs it, POSTs it, and records the outcome.
///
/// A 2xx answer delivers it. Anything else (another status, a refused or unreachable destination, a timeout, a
/// secret the master keys cannot open) is retried on the ``DeliveryRetrySchedule`` and marked failed once the
/// schedule's window has passed. Redirects are not followed; answers are read up to 64 KiB. Every state change is
/// in PostgreSQL, so a restarted worker carries on, and the time comes from `clock`, so tests move it.
///
/// ```swift
/// let deliverer = WebhookDeliverer(store: store, keyring: keyring, client: client, settings: .init(),
///                                  workerID: "worker-1", logger: logger)
/// while try deliverer.deliverNext() {}
/// ```
package final class WebhookDeliverer: Sendable {
    /// How deliveries are made.
    package struct Settings: Sendable {
        /// `MTASTS_WEBHOOK_ALLOW_INSECURE`: deliver to `http://` URLs too.
        package var allowsInsecureHTTP: Bool
        /// `MTASTS_WEBHOOK_ALLOW_PRIVATE`: connect to non-public addresses too.
        package var allowsPrivateAddresses: Bool
        /// When failed deliveries are attempted again, and for how long.
        package var schedule: DeliveryRetrySchedule
        /// How long one attempt holds its delivery (far longer than the request timeout).
        package var lease: Duration

        /// Secure defaults: `https://` to public addresses, 30 s doubling to an hour, for 24 hours.
        package init(
            allowsInsecureHTTP: Bool = false,
            allowsPrivateAddresses: Bool = false,
            schedule: DeliveryRetrySchedule = DeliveryRetrySchedule(),
            lease: Duration = .seconds(120)
        ) {
            self.allowsInsecureHTTP = allowsInsecureHTTP
            self.allowsPrivateAddresses = allowsPrivateAddresses
            self.schedule = schedule
            self.lease = lease
        }
    }

    /// The `User-Agent` of every delivery.
    package static let userAgent = "mtasts-webhooks"

    private let queue: WebhookDeliveryQueue
    private let keyring: Keyring
    private let client: HTTPClient
    private let settings: Settings
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// - Parameters:
    ///   - client: made by ``makeClient(settings:resolver:logger:)``.
    ///   - workerID: names this process in delivery leases.
    ///   - clock: the current time.
    package init(
        store: DataStore,
        keyring: Keyring,
        client: HTTPClient,
        settings: Settings,
        workerID: String,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.queue = store.webhookDeliveries(workerID: workerID)
        self.keyring = keyring
        self.client = client
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// The HTTP client deliveries are made with: system trust roots, 5 s to connect, 15 s for the whole request,
    /// answers up to 64 KiB, names resolved by `resolver`, and only public addresses unless the settings allow
    /// private ones (checked on the addresses connected to, after resolution).
    /// - Throws: `HTTPClientError` when the trust roots cannot be loaded.
    package static func makeClient(settings: Settings, resolver: HostResolver, logger: Logger) throws -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(5)
        configuration.requestTimeout = .seconds(15)
        configuration.maximumBodyBytes = 65_536
        configuration.userAgent = userAgent
        configuration.resolver = resolver
        configuration.publicAddressesOnly = !settings.allowsPrivateAddresses
        return try HTTPClient(configuration: configuration, logger: logger)
    }

    /// Attempts the most overdue due delivery, if any, and records how it went.
    /// - Returns: false when no delivery was due.
    /// - Throws: store errors (the delivery's lease then runs out and it is attempted again).
    package func deliverNext() throws -> Bool {
        guard let due = try queue.take(at: clock(), lease: settings.lease) else { return false }
        let attemptedAt = clock()
        let result: WebhookDeliveryQueue.Result
        switch attempt(due, at: attemptedAt) {
        case .answered(let status) where (200...299).contains(status):
            result = .init(disposition: .delivered, httpStatus: status)
        case .answered(let status):
            result = retry(due, at: attemptedAt, httpStatus: status, error: "the receiver answered \(status)")
        case .failed(let reason):
            result = retry(due, at: attemptedAt, httpStatus: nil, error: reason)
        }
        try queue.record(due, result: result, at: attemptedAt)
        return true
    }

    /// How an attempt ended.
    private enum Attempt {
        /// The receiver answered with this status.
        case answered(Int)
        /// No answer, or nothing was sent: why, log-safe (the origin, never the path).
        case failed(String)
    }

    /// One attempt: sign and send.
    private func attempt(_ due: WebhookDeliveryQueue.Due, at now: Date) -> Attempt {
        let secret: [UInt8]
        do {
            secret = try due.secret.open(with: keyring)
        } catch {
            return .failed(
                "the webhook's signing secret cannot be decrypted with the master keys (\(due.secret.value.keyID)); "
                    + "delete the webhook and add it again for a new secret"
            )
        }
        do {
            let url = try ClientURL(due.url)
            guard url.scheme == .https || settings.allowsInsecureHTTP else {
                return .failed("\(url.origin) is not https:// and this platform delivers only to https:// URLs")
            }
            let request = try WebhookRequest.make(
                url: url,
                body: due.body,
                event: due.eventType,
                deliveryID: due.deliveryID,
                timestamp: Int(now.timeIntervalSince1970),
                secret: secret
            )
            return .answered(try client.send(request).status.code)
        } catch let error as HTTPClientError {
            return .failed(error.message)
        } catch {
            return .failed("the delivery could not be signed")
        }
    }

    /// The next attempt on the schedule, or failure once its window has passed.
    private func retry(
        _ due: WebhookDeliveryQueue.Due,
        at now: Date,
        httpStatus: Int?,
        error: String
    ) -> WebhookDeliveryQueue.Result {
        let attempts = due.attempts + 1
        let next = settings.schedule.nextAttempt(
            afterFailedAttempts: attempts,
            firstAttempt: due.firstAttemptAt ?? now,
            now: now,
            jitter: Double.random(in: DeliveryRetrySchedule.jitter)
        )
        let metadata = [
            "delivery": due.deliveryID.uuidString.lowercased(), "webhook": due.webhookID.uuidString.lowercased(),
            "attempts": String(attempts), "error": error,
        ]
        if next == nil {
            logger.warning("webhook delivery failed; no more attempts", metadata)
        } else {
            logger.info("webhook delivery attempt failed; retrying", metadata)
        }
        return .init(disposition: next.map { .retry(at: $0) } ?? .failed, httpStatus: httpStatus, error: error)
    }
}
