package org.layeredcache.cluster;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row whose version every write increments: what the cluster tests read and change on several nodes. */
@Entity
@Table(name = "COUNTER")
public class Counter {

    @Id
    private Long id;

    private long version;

    protected Counter() {
    }

    public Counter(long id) {
        this.id = id;
    }

    public long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public long increment() {
        return ++version;
    }
}
