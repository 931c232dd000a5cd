package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

/** One version of a template's text: never changed once written. */
@Entity
@Table(name = "EX_TEMPLATE_VERSION")
public class TemplateVersion {

    @Id
    @GeneratedValue
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "TEMPLATE_ID")
    private Template template;

    @Column(name = "TEMPLATE_ID", insertable = false, updatable = false)
    private Long templateId;

    @Column(name = "VERSION", nullable = false)
    private int version;

    @Column(nullable = false)
    private String subject;

    @Column(nullable = false, length = 8000)
    private String content;

    @Column(nullable = false)
    private Instant createdAt;

    protected TemplateVersion() {
    }

    TemplateVersion(Template template, int version, String subject, String content, Instant createdAt) {
        this.template = template;
        this.templateId = template.getId();
        this.version = version;
        this.subject = subject;
        this.content = content;
        this.createdAt = createdAt;
    }

    public Long getTemplateId() {
        return templateId;
    }

    public int getVersion() {
        return version;
    }

    public String getSubject() {
        return subject;
    }

    public String getContent() {
        return content;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
