package org.layeredcache.internal.admin;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Set;
import java.util.logging.Logger;

/**
 * Puts the admin resource ({@link AdminServlet}) in the application when the configuration asks for it:
 * {@code layered-cache.admin.enabled=true} (off by default), at {@code layered-cache.admin.path} (default
 * {@code /layered-cache}), for users in {@code layered-cache.admin.role} (default {@code layered-cache-admin}).
 * A path that is not a plain absolute path fails the deployment, naming the property.
 */
public class AdminInitializer implements ServletContainerInitializer {

    static final String PREFIX = "layered-cache.admin.";
    private static final Logger LOG = Logger.getLogger(AdminInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        Config config = ConfigProvider.getConfig(context.getClassLoader());
        String enabled = config.getOptionalValue(PREFIX + "enabled", String.class).orElse("false").trim();
        if (!enabled.equalsIgnoreCase("true")) {
            if (!enabled.equalsIgnoreCase("false")) {
                throw new ServletException(PREFIX + "enabled is '" + enabled + "'; write true or false");
            }
            return;
        }
        String path = config.getOptionalValue(PREFIX + "path", String.class).orElse("/layered-cache").trim();
        if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new ServletException(PREFIX + "path is '" + path + "'; write an absolute path such as /layered-cache"
                    + " (letters, digits and . _ ~ - between slashes)");
        }
        String role = config.getOptionalValue(PREFIX + "role", String.class).orElse("layered-cache-admin").trim();
        ServletRegistration.Dynamic servlet = context.addServlet("layered-cache-admin", AdminServlet.class);
        servlet.addMapping(path + "/*");
        servlet.setInitParameter(AdminServlet.ROLE, role);
        servlet.setLoadOnStartup(1);
        context.declareRoles(role);
        LOG.info("The layered-cache admin resource is at " + context.getContextPath() + path + "/caches, for users in"
                + " role '" + role + "'");
    }
}
