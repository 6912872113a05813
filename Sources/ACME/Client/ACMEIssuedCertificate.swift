package import Crypto

/// A certificate an order produced, with the fresh key it was requested for.
package struct ACMEIssuedCertificate: Sendable {
    /// The order URL.
    package var orderURL: String
    /// The PEM chain as served (`application/pem-certificate-chain`): leaf first, then issuers (§7.4.2).
    package var certificateChainPEM: String
    /// The certificate's private key (never the account key, §11.1).
    package var privateKey: P256PrivateKey

    /// Creates the value.
    package init(orderURL: String, certificateChainPEM: String, privateKey: P256PrivateKey) {
        self.orderURL = orderURL
        self.certificateChainPEM = certificateChainPEM
        self.privateKey = privateKey
    }
}

/// A created order: its URL (to persist for resuming) and its first state.
package struct ACMEOrderHandle: Sendable, Equatable {
    /// The order URL (`Location` of newOrder).
    package var url: String
    /// The order object newOrder returned.
    package var order: ACMEOrder

    /// Creates the value.
    package init(url: String, order: ACMEOrder) {
        self.url = url
        self.order = order
    }
}
