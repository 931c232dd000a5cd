package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How often a template's page was viewed, as persisted by the counter's flushes ({@link TemplateViews}). */
@Entity
@Table(name = "EX_TEMPLATE_STATS")
public class TemplateStats {

    @Id
    @Column(name = "TEMPLATE_ID")
    private Long templateId;

    @Column(name = "VIEWS", nullable = false)
    private long views;

    protected TemplateStats() {
    }

    public TemplateStats(long templateId, long views) {
        this.templateId = templateId;
        this.views = views;
    }

    public long getViews() {
        return views;
    }
}
