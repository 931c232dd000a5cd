package org.layeredcache.it;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row the in-container tests read through the cache and change in transactions. */
@Entity
@Table(name = "LC_IT_SERVICE")
public class ServiceRow {

    @Id
    private Long id;

    private String name;

    protected ServiceRow() {
    }

    public ServiceRow(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
