package org.layeredcache.internal.cluster;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which messages of another node count as lost: skipped numbers, and a heartbeat naming one never received. */
class SenderSequencesTest {

    private static final long LISTENING_SINCE = 1_000_000;
    private static final long EARLIER = LISTENING_SINCE - 60_000;
    private static final long LATER = LISTENING_SINCE + 5;

    private final SenderSequences sequences = new SenderSequences(LISTENING_SINCE);
    private final UUID sender = UUID.randomUUID();

    @Test
    void messagesInOrderLoseNothing() {
        assertThat(sequences.message(sender, LATER, 1)).isZero();
        assertThat(sequences.message(sender, LATER, 2)).isZero();
        assertThat(sequences.heartbeat(sender, LATER, 2)).isZero();
        assertThat(sequences.message(sender, LATER, 3)).isZero();
    }

    @Test
    void skippedNumbersAreLost() {
        sequences.message(sender, EARLIER, 1);
        assertThat(sequences.message(sender, EARLIER, 4)).as("2 and 3").isEqualTo(2);
        assertThat(sequences.message(sender, EARLIER, 5)).isZero();
    }

    @Test
    void aHeartbeatNamingAMessageNeverReceivedFindsItLost() {
        sequences.message(sender, EARLIER, 1);
        assertThat(sequences.heartbeat(sender, EARLIER, 2)).as("the last message of a quiet period").isEqualTo(1);
        assertThat(sequences.heartbeat(sender, EARLIER, 2)).isZero();
    }

    @Test
    void aNodeThatStartedBeforeThisOneListenedIsTrustedFromItsFirstNumber() {
        assertThat(sequences.heartbeat(sender, EARLIER, 40)).isZero();
        assertThat(sequences.message(UUID.randomUUID(), EARLIER, 7)).isZero();
    }

    @Test
    void aNodeThatStartedLaterShouldHaveBeenHeardFromItsFirstMessage() {
        assertThat(sequences.message(UUID.randomUUID(), LATER, 1)).as("a new node's first message").isZero();
        assertThat(sequences.message(UUID.randomUUID(), LATER, 3)).as("a restarted node whose first two were lost")
                .isEqualTo(2);
        assertThat(sequences.heartbeat(UUID.randomUUID(), LATER, 5)).isEqualTo(5);
        assertThat(sequences.heartbeat(UUID.randomUUID(), LATER, 0)).as("a node that has sent nothing").isZero();
    }
}
