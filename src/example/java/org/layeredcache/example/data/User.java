package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/** A user of the admin app, with a profile of a few kilobytes and permissions per service. */
@Entity
@Table(name = "EX_USER")
public class User {

    @Id
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String email;

    @Column(nullable = false, length = 8000)
    private String profile;

    @OneToMany(mappedBy = "user")
    private List<Membership> memberships = new ArrayList<>();

    protected User() {
    }

    public User(long id, String name, String email, String profile) {
        this.id = id;
        this.name = name;
        this.email = email;
        this.profile = profile;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    public String getProfile() {
        return profile;
    }

    public List<Membership> getMemberships() {
        return memberships;
    }
}
