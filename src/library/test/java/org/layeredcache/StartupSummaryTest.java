package org.layeredcache;

import jakarta.enterprise.context.Dependent;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.operation.LayeredCacheExtension;
import org.layeredcache.testing.Containers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** At start-up, one log line per cache says what it will do and where each setting came from. */
class StartupSummaryTest {

    @Dependent
    public static class Reads {
        @CachedRead(cache = "flight-short-wait", key = "a-{id}", ttl = "10m", refreshAfter = "1m")
        public String find(long id) {
            return "a";
        }
    }

    @Test
    void eachCacheGetsOneLineNamingItsLayersTimesSizesAndTheirOrigins() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(LayeredCacheExtension.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            Containers.start(Reads.class).close();
        } finally {
            log.removeHandler(capture);
        }

        // The test configuration sets load.wait=300ms and cluster.load-lease=1m for this cache.
        assertThat(lines).filteredOn(line -> line.startsWith("Cache 'flight-short-wait'")).singleElement()
                .asString()
                .contains("layers request, near (10000 entries [default], 64 MB [default], ttl at most 30s [default])")
                .contains("load lease 1m [layered-cache.cache.flight-short-wait.cluster.load-lease]")
                .contains("values up to 1 MB [default], written as fory [default], deflated above 16 KB [default]")
                .contains("load.wait 0.3s [layered-cache.cache.flight-short-wait.load.wait]")
                .contains("Reads#find ttl 10m [annotation or its default], refreshAfter 1m [annotation]");
    }
}
