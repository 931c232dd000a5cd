package org.layeredcache.jmh;

import jakarta.ejb.Stateless;
import org.layeredcache.CachedRead;

/** The same read as {@link Items#nearLayer}, on a stateless EJB: what the EJB container adds to every hit. */
@Stateless
public class StatelessItems {

    @CachedRead(cache = "bench-near-ejb", key = "item-{id}")
    public Items.Item nearLayer(long id) {
        return Items.load(id);
    }
}
