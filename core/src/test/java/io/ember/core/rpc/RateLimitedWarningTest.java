package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class RateLimitedWarningTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-warning-test");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final ManualClock clock = new ManualClock();
    private final RateLimitedWarning warning = new RateLimitedWarning(logger, Duration.ofSeconds(10), clock);

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void writesOneLinePerPeriodAndThenSaysHowManyWereLeftOut() {
        for (int i = 0; i < 1000; i++) {
            int n = i;
            warning.warn(() -> "refused request " + n);
        }
        clock.advance(Duration.ofSeconds(9));
        warning.warn(() -> "refused request 1000");
        clock.advance(Duration.ofSeconds(1));
        warning.warn(() -> "refused request 1001");

        assertEquals(List.of("refused request 0",
                        "refused request 1001; 1000 more like it in the last 10s not shown"),
                logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals(List.of(Level.WARN, Level.WARN), logged.list.stream().map(ILoggingEvent::getLevel).toList());
    }
}
