package org.layeredcache;

import java.time.Instant;

/**
 * Where one background task stands ({@link CacheTasks}).
 *
 * @param id          the task's id
 * @param scope       what it works on (one pending task per scope)
 * @param description what it does
 * @param state       {@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled} (its
 *                    transaction rolled back, so it never started, or it was {@linkplain CacheTasks#cancel
 *                    cancelled}) or {@code lost} (its node left the cluster before it ended)
 * @param done        steps done (skipped and failed ones included)
 * @param total       steps in all (0: not told)
 * @param skipped     steps skipped
 * @param failed      steps that failed while the task went on
 * @param node        the node that runs or ran it
 * @param requested   when it was requested
 * @param started     when it started, or {@code null}
 * @param ended       when it ended, or {@code null}
 * @param error       why it failed, or {@code null}
 */
public record TaskStatus(String id, String scope, String description, String state, long done, long total,
                         long skipped, long failed, String node, Instant requested, Instant started, Instant ended,
                         String error) {

    /** Whether the task is queued or running. */
    public boolean pending() {
        return state.equals("queued") || state.equals("running");
    }
}
