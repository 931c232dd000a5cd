package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateVersionView;

import java.util.List;

/** {@code GET /templates/{id}/versions} and {@code GET /templates/{id}/versions/{v}}. */
@Path("templates/{templateId}/versions")
@Produces(MediaType.APPLICATION_JSON)
public class TemplatesResource {

    @Inject
    TemplateStore templates;

    @GET
    public List<TemplateVersionView> versions(@PathParam("templateId") String templateIdText) {
        long templateId = Ids.path("templateId", templateIdText);
        List<TemplateVersionView> versions = templates.versions(templateId);
        if (versions.isEmpty()) {
            throw new NotFoundException("no template " + templateId);
        }
        return versions;
    }

    @GET
    @Path("{version}")
    public TemplateVersionView version(@PathParam("templateId") String templateIdText,
                                       @PathParam("version") String versionText) {
        long templateId = Ids.path("templateId", templateIdText);
        long parsed = Ids.path("version", versionText);
        if (parsed > Integer.MAX_VALUE) {
            throw new NotFoundException("template " + templateId + " has no version " + parsed);
        }
        int version = (int) parsed;
        return templates.version(templateId, version)
                .orElseThrow(() -> new NotFoundException("template " + templateId + " has no version " + version));
    }
}
