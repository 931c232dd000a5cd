package org.layeredcache.example.data;

import java.io.Serializable;

/** One line of a service's template list. */
public record TemplateSummary(long id, long serviceId, String name, int currentVersion) implements Serializable {

    static TemplateSummary of(Template template) {
        return new TemplateSummary(template.getId(), template.getServiceId(), template.getName(),
                template.getCurrentVersion());
    }
}
