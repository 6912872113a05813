package import Crypto
package import Foundation
package import SnapshotSync
package import Store

/// Everything an edge process answers from: policies, certificates and ACME challenges, keyed by host.
///
/// Immutable; the edge swaps whole snapshots atomically, so a request sees one consistent view and does one
/// dictionary lookup. Hosts are lower-case A-labels (`mta-sts.example.com`). Private keys stay encrypted with
/// the master key inside the snapshot (and in its file); the TLS layer decrypts them when it builds a context.
package struct EdgeSnapshot: FollowedSnapshot, Equatable {
    /// One served policy.
    package struct Policy: Sendable, Equatable {
        /// The policy file exactly as served (the response body), packed with the snapshot's other bytes.
        package let body: PackedBytes
        /// The policy id announced in DNS, for logs and metrics.
        package let policyID: String

        package init(text: String, policyID: String) {
            self.init(body: PackedBytes(utf8: text), policyID: policyID)
        }

        /// A policy whose body is already packed (read back from the snapshot file).
        package init(body: PackedBytes, policyID: String) {
            self.body = body
            self.policyID = policyID
        }

        /// The policy file as text.
        package var text: String { body.string }
    }

    /// One host's current certificate, as compact as a million of them must be: the leaf as DER and the sealed
    /// key packed with the snapshot's other bytes (``PackedBytes``), and the intermediates shared with every other
    /// certificate under the same issuer (``CertificateChainTail``).
    package struct Certificate: Sendable, Equatable {
        /// The certificate row's id; a new id means a new certificate (the TLS layer rebuilds its context).
        package let id: UUID
        /// The leaf certificate, DER; empty when the stored chain was not readable PEM (the host then gets no
        /// TLS context, as a damaged chain never did).
        package let leaf: PackedBytes
        /// The rest of the chain, DER.
        package let intermediates: CertificateChainTail
        /// The id of the master key that sealed the private key (empty when the stored value was malformed).
        package let keyID: String
        /// The sealed private key's nonce and ciphertext, back to back (empty when the stored value was malformed):
        /// kept as bytes, so neither a bulk load nor the key audit encodes or parses text per host.
        package let sealedKeyBytes: PackedBytes
        /// Whether the sealed key is bound to its row (``SecretOwner/certificateKey(id:host:)``).
        package let keyBinding: SecretBinding
        package let notAfter: Date

        package init(
            id: UUID,
            leaf: PackedBytes,
            intermediates: CertificateChainTail,
            keyID: String,
            sealedKeyBytes: PackedBytes,
            keyBinding: SecretBinding,
            notAfter: Date
        ) {
            self.id = id
            self.leaf = leaf
            self.intermediates = intermediates
            self.keyID = keyID
            self.sealedKeyBytes = sealedKeyBytes
            self.keyBinding = keyBinding
            self.notAfter = notAfter
        }

        /// - Parameter sealedKey: the private key as stored (PEM, sealed); nil for a value that was malformed.
        package init(
            id: UUID,
            leaf: PackedBytes,
            intermediates: CertificateChainTail,
            sealedKey: EncryptedValue?,
            keyBinding: SecretBinding,
            notAfter: Date
        ) {
            self.init(
                id: id,
                leaf: leaf,
                intermediates: intermediates,
                keyID: sealedKey?.keyID ?? "",
                sealedKeyBytes: PackedBytes((sealedKey?.nonce ?? []) + (sealedKey?.ciphertext ?? [])),
                keyBinding: keyBinding,
                notAfter: notAfter
            )
        }

        /// A certificate from its stored PEM chain (leaf first), split into DER without parsing it.
        package init(
            id: UUID,
            chainPEM: String,
            sealedKey: EncryptedValue?,
            keyBinding: SecretBinding,
            notAfter: Date
        ) {
            let chain = PEMDocument.decodeAll(label: "CERTIFICATE", from: chainPEM) ?? []
            self.init(
                id: id,
                leaf: PackedBytes(chain.first ?? []),
                intermediates: CertificateChainTail.interned(Array(chain.dropFirst())),
                sealedKey: sealedKey,
                keyBinding: keyBinding,
                notAfter: notAfter
            )
        }

        /// The sealed private key; nil when the stored value was malformed.
        package var sealedValue: EncryptedValue? {
            guard !keyID.isEmpty, sealedKeyBytes.count > AEAD.nonceByteCount else { return nil }
            let bytes = sealedKeyBytes.bytes
            return EncryptedValue(
                keyID: keyID,
                nonce: Array(bytes[..<AEAD.nonceByteCount]),
                ciphertext: Array(bytes[AEAD.nonceByteCount...])
            )
        }

        /// The chain as DER, leaf first.
        package var chainDER: [[UInt8]] { [leaf.bytes] + intermediates.certificates }

        /// The private key as stored for `host` (the snapshot's key for this entry); nil when it was malformed.
        package func sealedKey(host: String) -> SealedSecret? {
            sealedValue.map { value in
                SealedSecret(value: value, owner: .certificateKey(id: id, host: host), binding: keyBinding)
            }
        }
    }

    /// Everything known about one host.
    package struct HostEntry: Sendable, Equatable {
        package var policy: Policy?
        package var certificate: Certificate?
        /// http-01 answers: token → key authorization.
        package var challenges: [String: String]

        package init(policy: Policy? = nil, certificate: Certificate? = nil, challenges: [String: String] = [:]) {
            self.policy = policy
            self.certificate = certificate
            self.challenges = challenges
        }

        var isEmpty: Bool { policy == nil && certificate == nil && challenges.isEmpty }
    }

    package private(set) var hosts: HostTable
    /// The highest `changes.seq` this snapshot reflects.
    package private(set) var sequence: Int64
    /// When the snapshot was built from the database (or read back from its file).
    package private(set) var builtAt: Date

    /// What reloading some hosts yields: their entries by normalised host.
    package typealias Entries = [String: HostEntry]

    /// An empty snapshot.
    package init() {
        self.init(hosts: [:])
    }

    package init(hosts: [String: HostEntry], sequence: Int64 = 0, builtAt: Date = Date()) {
        var table = HostTable()
        for (host, entry) in hosts where !entry.isEmpty { table[host] = entry }
        self.init(table: table, sequence: sequence, builtAt: builtAt)
    }

    /// A snapshot of `table`, whose entries must not be empty (``HostEntry/isEmpty``).
    package init(table: HostTable, sequence: Int64, builtAt: Date) {
        self.hosts = table
        self.sequence = sequence
        self.builtAt = builtAt
    }

    /// The entry for `host`, which must be normalised (``HostName/normalized(_:)``) as the table's keys are: the
    /// responders have done that already, and this runs per request.
    package func entry(for host: String) -> HostEntry? {
        hosts[host]
    }

    /// A copy in which `parts` of `hosts` are replaced by `entries` (a host missing from `entries` no longer
    /// serves those parts; a host left with nothing is removed). `hosts` are normalised.
    package func updating(
        hosts: Set<String>,
        parts: ServedParts,
        with entries: [String: HostEntry],
        sequence: Int64,
        builtAt: Date
    ) -> EdgeSnapshot {
        var copy = self
        for host in hosts {
            let loaded = entries[host] ?? HostEntry()
            var entry = copy.hosts[host] ?? HostEntry()
            if parts.contains(.policy) { entry.policy = loaded.policy }
            if parts.contains(.certificate) { entry.certificate = loaded.certificate }
            if parts.contains(.challenges) { entry.challenges = loaded.challenges }
            copy.hosts[host] = entry.isEmpty ? nil : entry
        }
        copy.sequence = max(self.sequence, sequence)
        copy.builtAt = builtAt
        return copy
    }

    package var hostCount: Int { hosts.count }

    package func hasSameContent(as other: EdgeSnapshot) -> Bool { hosts == other.hosts }

    package static func hosts(of entries: [String: HostEntry]) -> [String] { Array(entries.keys) }

    package func hostsDiffering(from entries: [String: HostEntry]) -> Set<String> {
        Set(entries.lazy.filter { host, entry in hosts[host] != (entry.isEmpty ? nil : entry) }.map(\.key))
    }

    package func hosts(missingFrom seen: Set<String>) -> [String] {
        hosts.compactMap { host, _ in seen.contains(host) ? nil : host }
    }

    /// Counts for metrics.
    package var policyCount: Int { hosts.count { $0.value.policy != nil } }
    package var certificateCount: Int { hosts.count { $0.value.certificate != nil } }

}

/// The edge's snapshot holder.
package typealias EdgeSnapshotHolder = SnapshotHolder<EdgeSnapshot>
