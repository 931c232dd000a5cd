package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import java.util.Set;

/** The one user of the cluster tests' admin resource: {@code operator}, in role {@code layered-cache-admin}. */
@BasicAuthenticationMechanismDefinition(realmName = "layered-cache-cluster-tests")
@ApplicationScoped
public class AdminUsers implements IdentityStore {

    static final String USER = "operator";
    static final String PASSWORD = "operator-secret";

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        return USER.equals(credential.getCaller()) && credential.compareTo(USER, PASSWORD)
                ? new CredentialValidationResult(USER, Set.of("layered-cache-admin"))
                : CredentialValidationResult.INVALID_RESULT;
    }
}
