package org.layeredcache.internal.layer;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.concurrent.Executor;

/**
 * Hands work to the server's managed executor from a session bean call of its own. The executor captures the
 * component invocation of the thread that submits; Payara's copy shares that invocation's registry, where the
 * container keeps the entity managers used without a transaction and closes them all when either invocation ends.
 * Submitted straight from a request, a task and the request would close each other's entity managers; a session
 * bean call starts an invocation with an empty registry, so the work gets one of its own. Found in JNDI by
 * {@link ManagedExecutors}, never injected. Thread-safe.
 */
@Stateless(name = ExecutorHandOff.NAME)
@LocalBean
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExecutorHandOff {

    /** The bean's name in the deployment: its own, so that no bean of the application's clashes with it. */
    static final String NAME = "layered-cache-executor-hand-off";

    /**
     * Submits {@code work}; what the executor threw instead (a refusal), returned rather than thrown so that the
     * container neither wraps it nor logs it as a fault of this bean.
     */
    public RuntimeException execute(Executor executor, Runnable work) {
        try {
            executor.execute(work);
            return null;
        } catch (RuntimeException refused) {
            return refused;
        }
    }
}
