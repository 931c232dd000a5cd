package org.layeredcache.internal.layer;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that knows about JTA: runs work after the current transaction commits, other work if it rolls
 * back, and either at once when there is no transaction (or no JTA at all, as in Java SE). Thread-safe.
 */
public final class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class.getName());
    private static final String REGISTRY = "java:comp/TransactionSynchronizationRegistry";
    private static final String USER_TRANSACTION = "java:comp/UserTransaction";

    private final TransactionSynchronizationRegistry registry;

    private Transactions(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** Finds the server's transaction registry; without one, everything runs at once. */
    public static Transactions lookUp() {
        try {
            return new Transactions((TransactionSynchronizationRegistry) new InitialContext().lookup(REGISTRY));
        } catch (NamingException | RuntimeException | LinkageError noJta) {
            LOG.log(Level.FINE, "No JTA transaction registry: cache work runs without waiting for commits", noJta);
            return new Transactions(null);
        }
    }

    /**
     * Runs {@code committed} once the current transaction has committed, or {@code rolledBack} if it does not
     * commit; without a transaction, runs {@code committed} now. A transaction already marked for rollback runs
     * {@code rolledBack} when it ends. Failures of the callbacks are logged, never thrown into the transaction.
     */
    public void afterCompletion(Runnable committed, Runnable rolledBack) {
        if (!inTransaction()) {
            committed.run();
            return;
        }
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // Nothing is done before the outcome is known.
            }

            @Override
            public void afterCompletion(int status) {
                try {
                    (status == Status.STATUS_COMMITTED ? committed : rolledBack).run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Cache work after the end of a transaction failed", e);
                }
            }
        });
    }

    /**
     * Adds {@code items} to a set kept for the current transaction under {@code key}; the first addition arranges
     * for {@code committed} to run once with the whole set after the commit (nothing after a rollback). Without a
     * transaction, runs {@code committed} with these items now. What many calls of one transaction add is thus
     * carried out once.
     */
    public <T> void collect(Object key, java.util.Collection<T> items, java.util.function.Consumer<java.util.Set<T>> committed) {
        if (!inTransaction()) {
            committed.accept(new java.util.LinkedHashSet<>(items));
            return;
        }
        @SuppressWarnings("unchecked")
        java.util.Set<T> collected = (java.util.Set<T>) registry.getResource(key);
        if (collected == null) {
            java.util.Set<T> created = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
            registry.putResource(key, created);
            afterCompletion(() -> committed.accept(created), () -> { });
            collected = created;
        }
        collected.addAll(items);
    }

    /** What the current transaction keeps under {@code key} ({@link #perTransaction}), or {@code null}. */
    public Object kept(Object key) {
        return inTransaction() ? registry.getResource(key) : null;
    }

    /**
     * What the current transaction keeps under {@code key}: made by {@code create} on first use, when the
     * transaction also arranges for {@code committed} (after the commit) or {@code rolledBack} (otherwise) to get
     * it once it ends; {@code null} without a transaction.
     */
    public <T> T perTransaction(Object key, java.util.function.Supplier<T> create,
                                java.util.function.Consumer<T> committed, java.util.function.Consumer<T> rolledBack) {
        if (!inTransaction()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        T kept = (T) registry.getResource(key);
        if (kept == null) {
            T created = create.get();
            registry.putResource(key, created);
            afterCompletion(() -> committed.accept(created), () -> rolledBack.accept(created));
            kept = created;
        }
        return kept;
    }

    /**
     * Runs {@code work} in a transaction of its own, committed when it returns and rolled back when it throws;
     * without JTA (Java SE), simply runs it.
     */
    public <T> T inOwnTransaction(Callable<T> work) throws Exception {
        UserTransaction transaction = userTransaction();
        if (transaction == null) {
            return work.call();
        }
        transaction.begin();
        T result;
        try {
            result = work.call();
        } catch (Exception | Error failure) {
            transaction.rollback();
            throw failure;
        }
        if (transaction.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
            transaction.rollback();
        } else {
            transaction.commit();
        }
        return result;
    }

    /**
     * Runs {@code work} in a transaction of its own that is always rolled back, so that nothing it does (nor the
     * work registered to follow its commit) takes effect; without JTA (Java SE), simply runs it.
     */
    public <T> T inRolledBackTransaction(Callable<T> work) throws Exception {
        UserTransaction transaction = userTransaction();
        if (transaction == null) {
            return work.call();
        }
        transaction.begin();
        try {
            return work.call();
        } finally {
            transaction.rollback();
        }
    }

    /** The server's {@code UserTransaction}, or {@code null} without JTA (Java SE). */
    private static UserTransaction userTransaction() {
        try {
            return (UserTransaction) new InitialContext().lookup(USER_TRANSACTION);
        } catch (NamingException | RuntimeException noJta) {
            return null;
        }
    }

    /**
     * Whether JTA is there (a Jakarta EE server): then {@link #inOwnTransaction} runs work in a JTA transaction,
     * which the connections it opens join; without it (Java SE), work that needs atomicity commits its own
     * connection.
     */
    public boolean jta() {
        return registry != null;
    }

    private boolean inTransaction() {
        if (registry == null) {
            return false;
        }
        int status = registry.getTransactionStatus();
        return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
    }
}
