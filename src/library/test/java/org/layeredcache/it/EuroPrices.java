package org.layeredcache.it;

import jakarta.ejb.Stateless;
import org.layeredcache.CachedRead;

/** Caches in "it-euro". */
@Stateless
public class EuroPrices implements PriceSource {

    @Override
    @CachedRead(cache = "it-euro", key = "price-{id}")
    public String price(long id) {
        return id + " EUR";
    }
}
