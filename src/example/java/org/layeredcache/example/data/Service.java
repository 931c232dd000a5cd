package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/** A service of the admin app: a name, a few kilobytes of settings, and the users who may work on it. */
@Entity
@Table(name = "EX_SERVICE")
public class Service {

    @Id
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false, length = 8000)
    private String settings;

    @OneToMany(mappedBy = "service")
    private List<Membership> memberships = new ArrayList<>();

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

    public void setSettings(String settings) {
        this.settings = settings;
    }

    public List<Membership> getMemberships() {
        return memberships;
    }
}
