// libFuzzer entry point for the MIME parser; built by Fuzz/run-mime-fuzz.sh together with Sources/MIME (not a
// SwiftPM target). The first byte of an input picks the limits (bit 0: tight limits that reach tooLarge,
// tooManyFields, tooDeep and tooManyParts with short inputs; otherwise MIMELimits.reports); the rest is a received
// message. The seeds in MIMEFuzz/corpus start with "0" (report limits) or "1" (tight limits).
// Beyond "no crash, no ASan report" it checks these oracles and traps on a mismatch:
// 1. a parsed tree respects the limits it was parsed with: nesting depth, entities below the top, header fields per
//    entity, and every decoded body's size;
// 2. the structure is consistent: parts only in multiparts (whose boundary is 1-70 bytes), an encapsulated message
//    only in message/rfc822 or message/global, lower-case media types, `leaves()` equal to the tree's leaves in order;
// 3. header values carry no control character other than HTAB, whatever bytes the message had;
// 4. decoding agrees with the encoding: identity bodies come back unchanged, quoted-printable never grows, and
//    base64 yields exactly 6 bits per alphabet character, rounded down to whole bytes;
// 5. errors name a known code and a message free of control characters.

/// Small limits reach every refusal with short inputs.
let tightLimits = MIMELimits(
    messageBytes: 3000,
    headerBytes: 256,
    headerFieldCount: 8,
    nestingDepth: 3,
    partCount: 12,
    decodedBytesPerPart: 512
)

let knownCodes: [MIMEError.Code] = [
    .tooLarge, .tooManyFields, .tooDeep, .tooManyParts, .malformed, .invalidEncoding, .unsupportedEncoding,
]

func checkText(_ text: String) {
    for scalar in text.unicodeScalars {
        let value = scalar.value
        precondition(value == 0x09 || (value >= 0x20 && value != 0x7F && !(0x80..<0xA0).contains(value)), "control")
    }
}

func checkLowercase(_ text: String) {
    precondition(!text.isEmpty && !text.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }, "media type not lower-cased")
}

func checkDecoding(_ entity: MIMEEntity, limits: MIMELimits) {
    let decoded: [UInt8]
    do {
        decoded = try entity.decodedBody()
    } catch {
        precondition(knownCodes.contains(error.code), "unknown code")
        checkText(error.description)
        return
    }
    precondition(decoded.count <= limits.decodedBytesPerPart, "decoded body over the limit")
    let encoding = entity.transferEncoding
    if encoding.isIdentity {
        precondition(decoded.elementsEqual(entity.body), "identity decoding changed the body")
    } else if encoding == .quotedPrintable {
        precondition(decoded.count <= entity.body.count, "quoted-printable grew")
    } else if encoding == .base64 {
        let alphabet = entity.body.filter {
            ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B
                || $0 == 0x2F
        }
        precondition(decoded.count == alphabet.count * 6 / 8, "base64 size mismatch")
    }
}

/// Checks `entity` and everything below it; counts the entities and returns how many are leaves.
func walk(_ entity: MIMEEntity, depth: Int, limits: MIMELimits, entities: inout Int) -> Int {
    precondition(depth <= limits.nestingDepth, "nested deeper than the limit")
    precondition(entity.headers.count <= limits.headerFieldCount, "more header fields than the limit")
    for field in entity.headers {
        checkText(field.value)
        precondition(!field.name.isEmpty && !field.name.utf8.contains(0x3A), "bad field name")
        _ = MIMEContentType(parsing: field.value)
        _ = MIMEContentDisposition(parsing: field.value)
        _ = MIMETransferEncoding(parsing: field.value)
    }
    checkLowercase(entity.contentType.type)
    checkLowercase(entity.contentType.subtype)
    _ = entity.contentType.description
    if let filename = entity.filename { checkText(filename) }
    checkDecoding(entity, limits: limits)
    if entity.contentType.isMultipart {
        let boundary = entity.contentType.boundary?.utf8.count ?? 0
        precondition((1...70).contains(boundary), "multipart parsed without a valid boundary")
    } else {
        precondition(entity.parts.isEmpty, "parts in an entity that is not multipart")
    }
    precondition(entity.message == nil || entity.contentType.isEncapsulatedMessage, "message in a non-message entity")
    let children = entity.parts + (entity.message.map { [$0] } ?? [])
    entities += 1
    if children.isEmpty && !entity.contentType.isMultipart { return 1 }
    var leaves = 0
    for child in children {
        leaves += walk(child, depth: depth + 1, limits: limits, entities: &entities)
    }
    return leaves
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMIME(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = input[0] & 1 == 1 ? tightLimits : MIMELimits.reports
    let message = Array(input[1...])
    let entity: MIMEEntity
    do {
        entity = try MIMEParser.parse(message, limits: limits)
    } catch {
        precondition(knownCodes.contains(error.code), "unknown code")
        checkText(error.description)
        return 0
    }
    var entities = 0
    let leafCount = walk(entity, depth: 0, limits: limits, entities: &entities)
    precondition(entities - 1 <= limits.partCount, "more entities than the limit")
    let leaves = entity.leaves()
    precondition(leaves.count == leafCount, "leaves() disagrees with the tree")
    for leaf in leaves {
        precondition(leaf.parts.isEmpty && leaf.message == nil && !leaf.contentType.isMultipart, "leaf with children")
    }
    return 0
}
