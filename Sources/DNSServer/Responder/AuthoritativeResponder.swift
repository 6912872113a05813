import DNS

/// The authoritative responder for the platform's zone: the bytes of one query in, the bytes of one response (or
/// nothing) out.
///
/// Pure: no I/O, no clock, no state between queries; the servers call it on their event loops, tests and the fuzz
/// target call it directly. It never traps, and every response it builds decodes with `DNSMessage(decoding:)`.
///
/// Decisions, in the order they are taken:
/// - fewer than 12 bytes, or QR set: no response (``DropReason``);
/// - OPCODE other than QUERY: NOTIMP;
/// - a malformed message (``AuthoritativeQuery/FormatProblem``): FORMERR;
/// - an EDNS version above 0: BADVERS;
/// - QCLASS other than IN and ANY, a name outside the zone, AXFR and IXFR: REFUSED;
/// - otherwise the zone's answer: the TXT, SOA or NS records, NODATA or NXDOMAIN with the SOA (RFC 2308).
///
/// ```swift
/// let responder = try AuthoritativeResponder(zone: zone)
/// switch responder.respond(to: datagram, over: .udp, content: snapshot) {
/// case .respond(let response): send(response.bytes)
/// case .drop: break
/// }
/// ```
package struct AuthoritativeResponder: Sendable {
    /// What to do with one received message.
    package enum Outcome: Sendable, Hashable {
        /// Send this response.
        case respond(AuthoritativeResponse)
        /// Send nothing.
        case drop(DropReason)
    }

    /// Why a message gets no response at all.
    package enum DropReason: Sendable, Hashable {
        /// Shorter than the 12-byte header: there is no ID to answer to.
        case shorterThanHeader
        /// QR is set: the message is itself a response.
        case notAQuery
    }

    /// The zone served.
    package let zone: AuthoritativeZoneConfiguration
    /// The apex NS RRset, built once.
    let nameServerRecords: [DNSResourceRecord]

    /// Creates a responder for `zone`.
    /// - Throws: ``DNSServerError/Code-swift.struct/invalidConfiguration`` when the zone configuration cannot work.
    package init(zone: AuthoritativeZoneConfiguration) throws(DNSServerError) {
        try zone.validate()
        self.zone = zone
        self.nameServerRecords = zone.nameServers.map { server in
            DNSResourceRecord(name: zone.apex, ttl: zone.apexTTL, data: .ns(server))
        }
    }

    /// Answers one received message.
    /// - Parameters:
    ///   - bytes: The message as received: one datagram, or one TCP message without its length prefix.
    ///   - transport: Where it arrived, which sets the size limit.
    ///   - content: The TXT records and serial to answer from.
    /// - Returns: The response to send, or why there is none.
    package func respond(
        to bytes: [UInt8],
        over transport: DNSServerTransport,
        content: some AuthoritativeZoneContent
    ) -> Outcome {
        guard let query = AuthoritativeQuery(parsing: bytes) else {
            return .drop(.shorterThanHeader)
        }
        // RFC 1035 §4.1.1 (QR): a response is never answered. Answering one (with FORMERR) would let two servers
        // bounce errors at each other forever, and would make us a reflector for forged responses.
        guard !query.isResponse else {
            return .drop(.notAQuery)
        }
        let echoed = query.questionCount == 1 ? query.question : nil
        // RFC 1035 §4.1.1, RFC 8906 §3.1.4: an OPCODE the server does not implement is NOTIMP. Checked before the
        // format, as other opcodes (UPDATE, DSO) shape their sections differently.
        guard query.opcode == .query else {
            return .respond(response(to: query, rcode: .notImplemented, question: echoed, over: transport))
        }
        // RFC 1035 §4.1.1 (FORMERR); RFC 9619 §4 for QDCOUNT > 1; RFC 6891 §7 keeps the OPT in the response when the
        // problem is with the OPT itself, which `response(to:)` does whenever one was read. Without a problem there
        // is exactly one question.
        guard query.formatProblem == nil, let question = query.question else {
            return .respond(response(to: query, rcode: .formatError, question: echoed, over: transport))
        }
        // RFC 6891 §6.1.3: a version we do not implement is BADVERS, answered in our own version (0).
        if let edns = query.edns, edns.version > 0 {
            return .respond(response(to: query, rcode: .badVersion, question: question, over: transport))
        }
        // RFC 1034 §3.7.1: a server cannot know every class, so QCLASS * (ANY) is answered with the IN data but never
        // authoritatively. Other classes hold no zone of ours: REFUSED, as for names outside the zone.
        let isAnyClass = question.recordClass == .any
        guard question.recordClass == .internet || isAnyClass else {
            return .respond(response(to: query, rcode: .refused, question: question, over: transport))
        }
        // RFC 1035 §4.1.1 (REFUSED): this server answers for its zone only and does no recursion; RD is merely copied
        // and otherwise ignored (RFC 8906 §3.1.3.1).
        let node = AuthoritativeZoneNode(question.name, apex: zone.apex)
        guard node != .outsideZone else {
            return .respond(response(to: query, rcode: .refused, question: question, over: transport))
        }
        // RFC 5936 §5: zone transfers are subject to policy, and ours is to offer none, on either transport (over
        // UDP, RFC 5936 §4.2 leaves AXFR undefined; the refusal is the same). IXFR (RFC 1995) likewise.
        guard question.type != .axfr, question.type != .ixfr else {
            return .respond(response(to: query, rcode: .refused, question: question, over: transport))
        }
        let answer = self.answer(question, at: node, content: content)
        return .respond(
            response(
                to: query,
                rcode: answer.rcode,
                isAuthoritative: !isAnyClass,
                question: question,
                answers: answer.answers,
                authorities: answer.authorities,
                over: transport
            )
        )
    }

    /// The same response cut to header, question and OPT with TC set (RFC 6891 §7's minimal response): what a UDP
    /// client gets when the answer does not fit, and what response rate limiting "slips" so that real clients
    /// retry over TCP.
    package func truncated(_ response: AuthoritativeResponse) -> AuthoritativeResponse {
        var message = response.message
        message.header.isTruncated = true
        // RFC 2181 §9: no partial RRsets; every record but the OPT goes.
        message.answers = []
        message.authorities = []
        message.additionals = message.additionals.filter { $0.type == .opt }
        return AuthoritativeResponse(message: message, queryType: response.queryType)
    }

    /// The largest response `query` may receive over `transport`.
    func sizeLimit(for query: AuthoritativeQuery, over transport: DNSServerTransport) -> Int {
        switch transport {
        case .tcp:
            return Int(UInt16.max)
        case .udp:
            // RFC 1035 §4.2.1: 512 without EDNS. RFC 6891 §6.2.5: a requester's size below 512 counts as 512, and
            // the responder caps it at what it is willing to send (§6.2.3).
            guard let edns = query.edns else { return 512 }
            return min(max(Int(edns.udpPayloadSize), 512), zone.maximumUDPPayload)
        }
    }

    /// Builds the response and fits it to the transport: TC over UDP, SERVFAIL over TCP when even 65535 bytes are
    /// too few (only absurdly long content could do that).
    private func response(
        to query: AuthoritativeQuery,
        rcode: DNSResponseCode,
        isAuthoritative: Bool = false,
        question: DNSQuestion?,
        answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [],
        over transport: DNSServerTransport
    ) -> AuthoritativeResponse {
        let header = DNSHeader(
            id: query.id,
            isResponse: true,
            opcode: query.opcode,
            isAuthoritativeAnswer: isAuthoritative,
            isTruncated: false,
            // RFC 1035 §4.1.1: RD is copied; RA stays clear, as no recursion is offered.
            isRecursionDesired: query.isRecursionDesired,
            isRecursionAvailable: false,
            // RFC 4035 §3.1.6: AD is not set by an authoritative server (the zone is unsigned anyway); §3 copies CD.
            isAuthenticData: false,
            isCheckingDisabled: query.isCheckingDisabled,
            rcode: rcode
        )
        var additionals: [DNSResourceRecord] = []
        if let edns = query.edns {
            // RFC 6891 §6.1.1, §7: a query with an OPT gets one back (and one without gets none).
            additionals.append(optRecord(extendedRcode: rcode, dnssecOK: edns.dnssecOK))
        }
        let full = AuthoritativeResponse(
            message: DNSMessage(
                header: header,
                questions: question.map { [$0] } ?? [],
                answers: answers,
                authorities: authorities,
                additionals: additionals
            ),
            queryType: query.question?.type
        )
        guard full.bytes.count > sizeLimit(for: query, over: transport) else {
            return full
        }
        switch transport {
        case .udp:
            // RFC 1035 §4.2.1, RFC 2181 §9: set TC so the client retries over TCP (RFC 7766 §5).
            return truncated(full)
        case .tcp:
            return response(to: query, rcode: .serverFailure, question: question, over: .tcp)
        }
    }

    /// Our OPT: version 0, our UDP payload size, the upper eight bits of `extendedRcode`, the query's DO bit
    /// copied (RFC 3225 §3), no options, and the other flags zero (RFC 6891 §6.1.4).
    private func optRecord(extendedRcode: DNSResponseCode, dnssecOK: Bool) -> DNSResourceRecord {
        DNSResourceRecord(
            name: .root,
            type: .opt,
            recordClass: DNSClass(rawValue: UInt16(zone.maximumUDPPayload)),
            ttl: UInt32(extendedRcode.rawValue >> 4) << 24 | (dnssecOK ? 0x8000 : 0),
            data: .opt([])
        )
    }
}
