internal import CLinux

/// Returns the heap's free pages to the kernel (`malloc_trim(0)`).
///
/// glibc keeps freed memory for reuse, so the rows, decoded strings and buffers a bulk load frees stay in the
/// process's resident set. A process that has just built a large long-lived structure (an edge's snapshot of every
/// hosted domain) calls this once, so what it reports as resident is what it holds.
package enum HeapTrim {
    /// Releases free heap pages; cheap next to the load that precedes it (milliseconds for hundreds of MiB).
    package static func releaseFreePages() {
        _ = malloc_trim(0)
    }
}
