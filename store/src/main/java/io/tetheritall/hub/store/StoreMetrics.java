package io.tetheritall.hub.store;

/**
 * A point-in-time snapshot of the cache's counters (monotonic since open) and gauges. The daemon binds these to
 * Micrometer; the store itself depends on no metrics library.
 *
 * @param l1Hits              reads answered by L1
 * @param l1Misses            reads L1 could not answer (absent, expired or undecodable)
 * @param l2Hits              reads answered by L2 (the write-behind buffer counts as L2)
 * @param l2Misses            reads L2 could not answer
 * @param evictionsSize       L1 evictions because of {@code maxEntries}
 * @param evictionsBytes      L1 evictions because of {@code maxBytes}
 * @param evictionsExpired    L1 entries dropped because they expired (on read, by the cleaner, or as victims)
 * @param l2Expired           L2 entries removed by the cleaner because they expired
 * @param l1Rejected          values L1 could not hold at all (too big)
 * @param l1Entries           entries in L1
 * @param l1Bytes             stored bytes in L1 (envelopes, after compression; keys excluded)
 * @param l1OffHeapBytes      off-heap memory Chronicle Map uses
 * @param l2Entries           entries in the L2 file
 * @param compressedValues    values stored compressed
 * @param compressionRatio    original bytes / stored bytes over compressed values (1.0 if none)
 * @param decodeFailures      stored values that no longer decoded (counted as misses and dropped)
 * @param loads               loader invocations by {@code getOrLoad}
 * @param sharedLoads         {@code getOrLoad} callers that waited for another caller's load instead of loading
 * @param loadFailures        loader invocations that threw
 * @param loadNanosTotal      time spent in loaders
 * @param loadNanosMax        the slowest load
 * @param writeBehindBacklog  keys waiting for the writer
 * @param l2Commits           L2 commits
 * @param l2CommitNanosTotal  time spent committing
 * @param l2CommitNanosMax    the slowest commit
 * @param l2WriteFailures     L2 writes that failed (disk full, I/O error)
 * @param l2Recoveries        times a broken L2 file was moved aside and started afresh
 * @param warmedEntries       entries copied from L2 into L1 at start-up
 * @param l1CreateMillis      time Chronicle Map took to create L1
 * @param l2OpenMillis        time MapDB took to open (and read) L2
 */
public record StoreMetrics(
        long l1Hits, long l1Misses, long l2Hits, long l2Misses,
        long evictionsSize, long evictionsBytes, long evictionsExpired, long l2Expired, long l1Rejected,
        long l1Entries, long l1Bytes, long l1OffHeapBytes, long l2Entries,
        long compressedValues, double compressionRatio, long decodeFailures,
        long loads, long sharedLoads, long loadFailures, long loadNanosTotal, long loadNanosMax,
        long writeBehindBacklog, long l2Commits, long l2CommitNanosTotal, long l2CommitNanosMax,
        long l2WriteFailures, long l2Recoveries, long warmedEntries, long l1CreateMillis, long l2OpenMillis) {

    /** L1 hits / L1 lookups (0 if none). */
    public double l1HitRate() {
        return rate(l1Hits, l1Misses);
    }

    /** L2 hits / L2 lookups (0 if none). */
    public double l2HitRate() {
        return rate(l2Hits, l2Misses);
    }

    /** Reads answered by either layer / reads (a read that missed L1 and hit L2 counts once, as a hit). */
    public double overallHitRate() {
        long hits = l1Hits + l2Hits;
        long lookups = l1Hits + l1Misses;
        return lookups == 0 ? 0 : Math.min(1.0, (double) hits / lookups);
    }

    private static double rate(long hits, long misses) {
        long n = hits + misses;
        return n == 0 ? 0 : (double) hits / n;
    }
}
