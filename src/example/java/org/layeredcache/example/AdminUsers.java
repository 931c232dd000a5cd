package org.layeredcache.example;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the caches' admin resource in the example: HTTP Basic authentication (Jakarta Security) against
 * the users of configuration property {@code example.admin.users} ({@code name:password:group[;group]}, comma
 * separated; groups are roles). The example's own endpoints stay open; only the admin resource asks for a role.
 */
@BasicAuthenticationMechanismDefinition(realmName = "layered-cache-example")
@ApplicationScoped
public class AdminUsers implements IdentityStore {

    /** Empty (no users) unless configured: MicroProfile Config treats an empty value as none. */
    @Inject
    @ConfigProperty(name = "example.admin.users")
    Optional<String> users;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        for (String user : users.orElse("").split(",")) {
            String[] parts = user.trim().split(":", 3);
            if (parts.length >= 2 && parts[0].equals(credential.getCaller())
                    && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.UTF_8),
                            credential.getPasswordAsString().getBytes(StandardCharsets.UTF_8))) {
                Set<String> groups = parts.length == 3 && !parts[2].isBlank()
                        ? new HashSet<>(Arrays.asList(parts[2].split(";"))) : Set.of();
                return new CredentialValidationResult(parts[0], groups);
            }
        }
        return CredentialValidationResult.INVALID_RESULT;
    }
}
