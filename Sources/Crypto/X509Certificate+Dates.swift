package import Foundation

extension X509Certificate {
    /// Start of the validity period.
    package var notBefore: Date {
        Date(timeIntervalSince1970: TimeInterval(notBeforeSeconds))
    }

    /// End of the validity period.
    package var notAfter: Date {
        Date(timeIntervalSince1970: TimeInterval(notAfterSeconds))
    }

    /// Whether `date` lies within `notBefore...notAfter`.
    package func isValid(at date: Date) -> Bool {
        (notBefore...notAfter).contains(date)
    }
}
