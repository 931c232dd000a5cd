package org.layeredcache;

import java.util.function.UnaryOperator;

/**
 * Objects that many requests change (a user's recently viewed items, per-user progress), kept in the cluster and
 * persisted in the background: story 2's "written once per request". Inject it:
 * {@code @Inject SharedObjects objects;}. A kind of object is declared by the method that persists a batch of them
 * ({@link StoresObjects}) and the one that loads one from the database ({@link LoadsObject}); its keys are values
 * of the key type those methods name. Thread-safe.
 *
 * <p>A {@linkplain #change change} is a function from the object to its new value. It applies at once to what
 * this request sees ({@link #get} returns the object with the request's changes), and once the transaction commits
 * (without one: when the request ends; outside a request: at once) all the changes the request made to one object
 * are written to the cluster in one write: read the cluster's current value, apply the changes in their order,
 * write it back if nobody wrote meanwhile, else read again and apply them again. So two requests changing one
 * object on two nodes lose neither change; a change function must therefore return a new value without changing
 * its argument, and may run more than once. A rollback writes nothing. Every node reads the new value as soon as
 * the write is done. One node persists changed objects in batches, in the background; the README says how far the
 * database may fall behind and what is guaranteed.
 */
public interface SharedObjects {

    /**
     * The object as this request sees it: the cluster's value (loaded through the {@link LoadsObject} method and
     * kept in the cluster when the cluster has none) with this request's changes applied; may be {@code null}.
     *
     * @throws IllegalArgumentException if no {@link StoresObjects} declares {@code name}, or the key is
     *                                  {@code null} or not of its key type
     */
    <V> V get(String name, Object key);

    /**
     * Changes the object: {@code change} gets the current value (maybe {@code null}) and returns the new one, which
     * this request sees at once and which the cluster gets after the commit (see above).
     *
     * @return the new value as this request sees it
     * @throws IllegalArgumentException as {@link #get}, or if {@code change} is {@code null}
     */
    <V> V change(String name, Object key, UnaryOperator<V> change);

    /** The kinds of shared object the deployment declares ({@link StoresObjects}), by name. */
    java.util.Set<String> names();

    /** How persisting the objects of {@code name} goes, as this node knows it (the storing node knows it best). */
    SharedObjectStatus status(String name);
}
