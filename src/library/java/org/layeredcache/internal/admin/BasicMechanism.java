package org.layeredcache.internal.admin;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;

import java.util.Optional;

/**
 * Notes, at deployment, whether the application authenticates with Jakarta Security's HTTP Basic mechanism
 * ({@code @BasicAuthenticationMechanismDefinition}) and its realm, so that the admin resource can answer a missing
 * or refused credential with the same challenge in its own JSON form ({@link AdminAccess}).
 */
public class BasicMechanism implements Extension {

    private volatile String realm;

    void found(@Observes @WithAnnotations(BasicAuthenticationMechanismDefinition.class) ProcessAnnotatedType<?> type) {
        BasicAuthenticationMechanismDefinition definition =
                type.getAnnotatedType().getAnnotation(BasicAuthenticationMechanismDefinition.class);
        if (definition != null) {
            realm = definition.realmName();
        }
    }

    /** The realm of the application's Basic mechanism, or empty when it has none (or another mechanism). */
    Optional<String> realm() {
        return Optional.ofNullable(realm);
    }
}
