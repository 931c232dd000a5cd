package org.layeredcache.internal.task;

import org.layeredcache.TaskStatus;

import java.time.Instant;
import java.util.Arrays;

/** A task's status as one string for the cluster map: fields separated by the unit separator character. */
final class StatusText {

    private static final String SEPARATOR = "\u001f";

    private StatusText() {
    }

    static String write(TaskStatus s) {
        return String.join(SEPARATOR, s.id(), s.scope(), s.description(), s.state(), Long.toString(s.done()),
                Long.toString(s.total()), s.node(), instant(s.requested()), instant(s.started()), instant(s.ended()),
                s.error() == null ? "" : s.error().replace(SEPARATOR, " "), Long.toString(s.skipped()),
                Long.toString(s.failed()));
    }

    static TaskStatus read(String text) {
        String[] f = Arrays.copyOf(text.split(SEPARATOR, -1), 13);
        return new TaskStatus(f[0], f[1], f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]), count(f[11]),
                count(f[12]), f[6], instant(f[7]), instant(f[8]), instant(f[9]),
                f[10] == null || f[10].isEmpty() ? null : f[10]);
    }

    private static long count(String text) {
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static String instant(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }
}
