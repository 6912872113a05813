/// One EDNS(0) option: code and opaque data (RFC 6891 §6.1.2).
package struct DNSEDNSOption: Sendable, Hashable {
    /// The option code.
    package var code: UInt16
    /// The option data.
    package var data: [UInt8]

    /// Creates an option.
    package init(code: UInt16, data: [UInt8]) {
        self.code = code
        self.data = data
    }
}
