package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * A user's permissions on one service. The foreign keys are also mapped as read-only columns, so that reading
 * an id never loads the row it points to (no N+1 queries). A user holds at most one membership per service.
 */
@Entity
@Table(name = "EX_MEMBERSHIP", uniqueConstraints = @UniqueConstraint(columnNames = {"USER_ID", "SERVICE_ID"}))
public class Membership {

    @Id
    @GeneratedValue
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "USER_ID")
    private User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "SERVICE_ID")
    private Service service;

    @Column(name = "USER_ID", insertable = false, updatable = false)
    private Long userId;

    @Column(name = "SERVICE_ID", insertable = false, updatable = false)
    private Long serviceId;

    @Column(nullable = false)
    private String permissions;

    protected Membership() {
    }

    public Membership(User user, Service service, String permissions) {
        this.user = user;
        this.service = service;
        this.userId = user.getId();
        this.serviceId = service.getId();
        this.permissions = permissions;
    }

    public Long getUserId() {
        return userId;
    }

    public Long getServiceId() {
        return serviceId;
    }

    public String getPermissions() {
        return permissions;
    }

    public void setPermissions(String permissions) {
        this.permissions = permissions;
    }
}
