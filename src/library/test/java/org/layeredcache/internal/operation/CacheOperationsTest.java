package org.layeredcache.internal.operation;

import org.junit.jupiter.api.Test;
import org.layeredcache.CachedRead;

import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations of methods the deployment scan did not see are parsed at their first call, per class of bean: a
 * container that reports the business interface's method for a call must still get each implementation's own
 * annotation.
 */
class CacheOperationsTest {

    public interface PriceSource {
        String price(long id);
    }

    public static class EuroPrices implements PriceSource {
        @Override
        @CachedRead(cache = "euro", key = "price-{id}")
        public String price(long id) {
            return id + " EUR";
        }
    }

    public static class DollarPrices implements PriceSource {
        @Override
        @CachedRead(cache = "dollar", key = "price-{id}")
        public String price(long id) {
            return id + " USD";
        }
    }

    @Test
    void anInterfaceMethodCalledOnTwoImplementationsUsesEachOnesAnnotation() throws Exception {
        CacheOperations operations = new CacheOperations();
        Method called = PriceSource.class.getMethod("price", long.class);

        assertThat(operations.read(called, new EuroPrices()).cache()).isEqualTo("euro");
        assertThat(operations.read(called, new DollarPrices()).cache()).isEqualTo("dollar");
        assertThat(operations.read(called, new EuroPrices()).cache()).isEqualTo("euro");
    }
}
