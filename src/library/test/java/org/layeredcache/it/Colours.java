package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

/** Two template-less reads of one cache with the same parameters, and a template-less write of both. */
@ApplicationScoped
public class Colours {

    @CachedRead(cache = "it-clash")
    public String nameOf(long id) {
        return "name of " + id;
    }

    @CachedRead(cache = "it-clash")
    public String colourOf(long id) {
        return "colour of " + id;
    }

    @CachedRead(cache = "it-clash")
    public Integer sizeOf(long id) {
        return (int) id;
    }

    /** Drops what every template-less read of the cache stored for the id. */
    @Invalidates(cache = "it-clash")
    public void repaint(long id) {
    }
}
