/// The buffer one loop's connections read into before the session copies the bytes into its own buffer
/// (loop-confined, so no lock: only one connection reads at a time).
final class SMTPScratchBuffer {
    /// Where connections read into.
    var bytes = [UInt8](repeating: 0, count: 16_384)
}
