import HTTPCore

/// Reads the message content that follows a 354 reply, incrementally (RFC 5321 §4.1.1.4, §4.5.2): lines up to the
/// one holding a single `.`, with dot-unstuffing and the limits of §4.5.3.1.
///
/// - A line ends with LF, with or without a CR before it; the content is stored with CRLF line ends. A bare CR
///   inside a line stays as it is.
/// - The end of the data is a line holding only `.`: `CRLF . CRLF`, and also `LF . LF` (and the mixed forms),
///   since bare-LF lines are accepted as lines.
/// - A leading `.` is removed from every other line (dot-unstuffing).
/// - A line longer than `maximumLineBytes` (CRLF included, §4.5.3.1.6) refuses the message at its end, and its
///   bytes are dropped as they come, so an endless line costs no memory.
/// - Content past `maximumMessageBytes` refuses the message at its end (the reader keeps consuming and drops it;
///   RFC 1870 §6 has the server read to the end of the data and answer 552); past `abandonAfterBytes` transmitted
///   octets the reader gives up at once, for a client that never ends its data.
///
/// ```swift
/// var reader = SMTPDataReader(maximumMessageBytes: 1 << 20, maximumLineBytes: 1000)
/// if let outcome = reader.read(from: &buffer) { finish(outcome) }   // nil: more bytes needed
/// ```
struct SMTPDataReader: Sendable {
    /// How the data ended.
    enum Outcome: Sendable, Hashable {
        /// The terminating `.` arrived; the message content, unstuffed, with CRLF line ends.
        case complete([UInt8])
        /// The terminating `.` arrived, but the content was larger than the limit.
        case tooLarge
        /// The terminating `.` arrived, but a line was longer than the limit.
        case lineTooLong
        /// The client sent `abandonAfterBytes` octets without ending the data.
        case abandoned
    }

    /// The largest content accepted, in octets (CRLF line ends, unstuffed).
    let maximumMessageBytes: Int
    /// The longest line accepted, CRLF included.
    let maximumLineBytes: Int
    /// How many transmitted octets the reader takes before it gives up on the data.
    let abandonAfterBytes: Int
    /// The octets consumed so far, as transmitted (line ends and stuffing included).
    private(set) var receivedBytes = 0
    private var content: [UInt8] = []
    private var isTooLarge = false
    private var hasLongLine = false
    /// The current line is already too long and its remaining bytes are being dropped.
    private var isInLongLine = false

    /// Creates a reader for one message.
    /// - Parameter abandonAfterBytes: Defaults to twice `maximumMessageBytes` (at least 64 KiB more).
    init(maximumMessageBytes: Int, maximumLineBytes: Int, abandonAfterBytes: Int? = nil) {
        self.maximumMessageBytes = max(0, maximumMessageBytes)
        self.maximumLineBytes = max(3, maximumLineBytes)
        self.abandonAfterBytes =
            abandonAfterBytes
            ?? self.maximumMessageBytes.addingReportingOverflow(max(self.maximumMessageBytes, 65_536)).partialValue
    }

    /// Consumes every complete line in `buffer` (and an incomplete one once it is too long).
    /// - Returns: The outcome once the data has ended (the bytes after the terminating line stay in `buffer`), or
    ///   nil when more bytes are needed.
    mutating func read(from buffer: inout ByteBuffer) -> Outcome? {
        while true {
            guard let lineFeed = buffer.firstIndex(of: 0x0A) else {
                dropIncompleteLineIfTooLong(&buffer)
                return receivedBytes > abandonAfterBytes ? .abandoned : nil
            }
            let start = buffer.readerIndex
            receivedBytes += lineFeed + 1 - start
            if isInLongLine {
                // The rest of a line already known to be too long.
                isInLongLine = false
                buffer.moveReaderIndex(to: lineFeed + 1)
                if receivedBytes > abandonAfterBytes { return .abandoned }
                continue
            }
            var end = lineFeed
            if end > start, buffer.storage[end - 1] == 0x0D { end -= 1 }
            let isTerminator = end - start == 1 && buffer.storage[start] == UInt8(ascii: ".")
            if isTerminator {
                buffer.moveReaderIndex(to: lineFeed + 1)
                return outcome()
            }
            if end - start + 2 > maximumLineBytes {
                hasLongLine = true
            } else {
                let stuffed = end > start && buffer.storage[start] == UInt8(ascii: ".")
                append(buffer.storage[(stuffed ? start + 1 : start)..<end])
            }
            buffer.moveReaderIndex(to: lineFeed + 1)
            if receivedBytes > abandonAfterBytes { return .abandoned }
        }
    }

    /// An incomplete line that cannot fit the limit any more is dropped now, and the rest of it as it arrives.
    private mutating func dropIncompleteLineIfTooLong(_ buffer: inout ByteBuffer) {
        let pending = buffer.readableBytes
        guard pending > 0, isInLongLine || pending >= maximumLineBytes else { return }
        hasLongLine = true
        isInLongLine = true
        receivedBytes += pending
        buffer.moveReaderIndex(forwardBy: pending)
    }

    /// Appends one unstuffed line and its CRLF, or notes that the message is too large (and frees what it holds).
    private mutating func append(_ line: ArraySlice<UInt8>) {
        guard !isTooLarge else { return }
        guard content.count + line.count + 2 <= maximumMessageBytes else {
            isTooLarge = true
            content = []
            return
        }
        content.append(contentsOf: line)
        content.append(contentsOf: [0x0D, 0x0A])
    }

    private mutating func outcome() -> Outcome {
        if isTooLarge { return .tooLarge }
        if hasLongLine { return .lineTooLong }
        let message = content
        content = []
        return .complete(message)
    }
}
