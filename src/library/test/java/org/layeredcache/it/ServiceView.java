package org.layeredcache.it;

import java.io.Serializable;

/** What the repository returns and the layers keep: an immutable copy of a row. */
public record ServiceView(long id, String name) implements Serializable {
}
