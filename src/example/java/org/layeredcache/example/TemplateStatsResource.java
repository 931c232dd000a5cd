package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateViews;

/** {@code GET /templates/{id}/stats}: how often the template's page was viewed, persisted plus not yet flushed. */
@Path("templates/{templateId}/stats")
@Produces(MediaType.APPLICATION_JSON)
public class TemplateStatsResource {

    @Inject
    TemplateStore templates;

    @Inject
    TemplateViews views;

    @GET
    public TemplateViews.Views stats(@PathParam("templateId") String templateIdText) {
        long templateId = Ids.path("templateId", templateIdText);
        if (templates.versions(templateId).isEmpty()) {
            throw new NotFoundException("no template " + templateId);
        }
        return views.views(templateId);
    }
}
