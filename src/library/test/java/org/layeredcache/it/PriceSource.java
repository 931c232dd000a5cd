package org.layeredcache.it;

import jakarta.ejb.Local;

/** One business interface, two EJBs, each caching in a cache of its own. */
@Local
public interface PriceSource {

    String price(long id);
}
