package org.layeredcache.internal.admin;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may use the admin resource: a caller the application's own authentication accepts, in the configured role.
 * Every refusal is JSON, as the resource's other errors: 401 (with the mechanism's challenge) or 403.
 *
 * <p>The application brings the authentication. With Jakarta Security's HTTP Basic mechanism, whose own 401 is the
 * server's HTML error page, a request without credentials, or with credentials the application's identity stores
 * refuse, is answered here with the same challenge ({@code WWW-Authenticate: Basic realm="..."}); accepted ones
 * go through the mechanism as usual. Other mechanisms (a form, OpenID Connect) answer as they do. Thread-safe.
 */
final class AdminAccess {

    private final String role;

    AdminAccess(String role) {
        this.role = role;
    }

    /** Whether the request may go on; if not, the response says why. */
    boolean admits(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getUserPrincipal() == null) {
            Optional<String> basicRealm = basicRealm();
            if (basicRealm.isPresent() && !acceptedBasicCredentials(request)) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"" + basicRealm.get().replace("\"", "") + "\"");
                refuse(response, 401, "credentials required: this resource is for users in role '" + role + "'");
                return false;
            }
            if (!authenticate(request, response)) {
                if (!response.isCommitted()) {
                    refuse(response, 401, "credentials required: this resource is for users in role '" + role + "'");
                }
                return false;
            }
        }
        if (!request.isUserInRole(role)) {
            refuse(response, 403, "user '" + request.getUserPrincipal().getName() + "' is not in role '" + role + "'");
            return false;
        }
        return true;
    }

    private static Optional<String> basicRealm() {
        try {
            return CDI.current().getBeanManager().getExtension(BasicMechanism.class).realm();
        } catch (RuntimeException notThere) {
            return Optional.empty();
        }
    }

    /**
     * Whether the request carries Basic credentials that the application's identity stores accept. Without an
     * identity store handler to ask, the mechanism decides (true).
     */
    private static boolean acceptedBasicCredentials(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        Instance<IdentityStoreHandler> handlers = CDI.current().select(IdentityStoreHandler.class);
        if (!handlers.isResolvable()) {
            return true;
        }
        CredentialValidationResult result = handlers.get().validate(
                new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        return result.getStatus() == CredentialValidationResult.Status.VALID;
    }

    private static boolean authenticate(HttpServletRequest request, HttpServletResponse response) {
        try {
            return request.authenticate(response);
        } catch (ServletException | IOException | RuntimeException noMechanism) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        AdminJson.error(response, status, message);
    }
}
