package org.layeredcache.it;

import jakarta.ejb.Stateless;
import org.layeredcache.CachedRead;

/** Caches in "it-dollar", under the same key shape as {@link EuroPrices}. */
@Stateless
public class DollarPrices implements PriceSource {

    @Override
    @CachedRead(cache = "it-dollar", key = "price-{id}")
    public String price(long id) {
        return id + " USD";
    }
}
