package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

/** Misuses the annotations on purpose: its deployment must fail, naming each problem. */
@ApplicationScoped
public class MisusedBean {

    @CachedRead(cache = "misused", key = "service-{serviceId}")
    public String unknownPlaceholder(long id) {
        return "";
    }

    @CachedRead(cache = "misused", key = "s-{id}", ttl = "a while")
    public String badTtl(long id) {
        return "";
    }

    @CachedRead(cache = "misused", key = "s-{id}")
    public void nothingToCache(long id) {
    }

    @CachedRead(cache = "misused", key = "c-{id}", condition = "id >> 0")
    public String badCondition(long id) {
        return "";
    }

    @Invalidates(cache = "misused", key = "s-{id}", allEntries = true)
    public void keyAndAllEntries(long id) {
    }
}
