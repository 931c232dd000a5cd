package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;

import java.time.Instant;

/** A message template of a service; its text lives in numbered versions. Seeded ids stay below a million. */
@Entity
@Table(name = "EX_TEMPLATE")
public class Template {

    @Id
    @TableGenerator(name = "template-ids", initialValue = 1_000_000, allocationSize = 20)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "template-ids")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "SERVICE_ID")
    private Service service;

    @Column(name = "SERVICE_ID", insertable = false, updatable = false)
    private Long serviceId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private int currentVersion;

    protected Template() {
    }

    public Template(Long id, Service service, String name) {
        this.id = id;
        this.service = service;
        this.serviceId = service.getId();
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public Long getServiceId() {
        return serviceId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getCurrentVersion() {
        return currentVersion;
    }

    /** Adds the next version and makes it current. */
    public TemplateVersion newVersion(String subject, String content, Instant at) {
        currentVersion++;
        return new TemplateVersion(this, currentVersion, subject, content, at);
    }
}
