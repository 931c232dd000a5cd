package org.layeredcache.example.data;

import java.io.Serializable;
import java.time.Instant;

/** One version of a template, with its text. */
public record TemplateVersionView(long templateId, int version, String subject, String content, Instant createdAt)
        implements Serializable {

    static TemplateVersionView of(TemplateVersion version) {
        return new TemplateVersionView(version.getTemplateId(), version.getVersion(), version.getSubject(),
                version.getContent(), version.getCreatedAt());
    }

    /** The same version without its text, for lists. */
    public TemplateVersionView summary() {
        return new TemplateVersionView(templateId, version, subject, null, createdAt);
    }
}
