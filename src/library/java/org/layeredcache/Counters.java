package org.layeredcache;

/**
 * Counters gathered in the cluster and persisted in the background: view counts, votes, quotas, anything that many
 * requests add to and that would otherwise cost one {@code UPDATE ... set n = n + 1} per request. Inject it:
 * {@code @Inject Counters counters;}. A counter is declared by the method that persists it ({@link FlushesCounter});
 * its keys are values of the type that method names. Thread-safe.
 *
 * <p>An {@linkplain #add addition} made inside a transaction is applied once the transaction commits (a rollback
 * adds nothing); without one, at once. Applying it costs one cluster write (additions of one key made at once on
 * one node share it) and no database work; once the committing call has returned, the addition lives in the
 * cluster's memory with Hazelcast's backup, so it survives the death of the node that made it (not the loss of
 * every member holding a copy). A flush persists it, on one node, through the {@link FlushesCounter} method;
 * each addition is persisted once: none lost, none counted twice (the README says under which conditions).
 */
public interface Counters {

    /**
     * Adds {@code delta} to the counter's value for {@code key}, after the current transaction commits.
     *
     * @throws IllegalArgumentException if no {@link FlushesCounter} declares {@code counter}, the key is
     *                                  {@code null} or not of the counter's key type, or the delta is negative and
     *                                  the counter does not allow it
     * @throws ArithmeticException      if the addition would overflow this node's pending sum for the key
     */
    void add(String counter, Object key, long delta);

    /** What the cluster holds for {@code key} that no flush has persisted yet, from every node (0 if nothing). */
    long pending(String counter, Object key);

    /**
     * What the database holds (the counter's {@link ReadsCounter} method) plus what the cluster holds that is not
     * persisted yet: each addition that reached the cluster counts once, also when a flush commits during the read
     * (the read then asks the database again). Costs the read method's query and two small queries of the
     * counters' ledger, in the caller's transaction if there is one.
     *
     * @throws IllegalStateException if the counter has no {@link ReadsCounter} method
     */
    long read(String counter, Object key);

    /** How the counter's flushing goes, as this node knows it (the flushing node knows it best). */
    CounterStatus status(String counter);
}
