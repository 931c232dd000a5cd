package org.layeredcache.example;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A service of the admin app: a name and a few kilobytes of settings, as in the story. */
@Entity
@Table(name = "EXAMPLE_SERVICE")
public class Service {

    @Id
    private Long id;

    @Column(nullable = false)
    private String name;

    @Lob
    @Column(nullable = false)
    private String settings;

    protected Service() {
    }

    public Service(long id, String name, String settings) {
        this.id = id;
        this.name = name;
        this.settings = settings;
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

    public String getSettings() {
        return settings;
    }
}
