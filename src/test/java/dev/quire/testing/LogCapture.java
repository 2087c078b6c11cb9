package dev.quire.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Captures every event of a logger (and those below it) at a chosen level, for tests that search logs, such as
 * the secrecy tests; closing puts the logger's level back and stops capturing.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level before;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Logger logger, Level level) {
        this.logger = logger;
        this.before = logger.getLevel();
        appender.start();
        logger.setLevel(level);
        logger.addAppender(appender);
    }

    /** Captures {@code loggerName} (the root logger: {@link org.slf4j.Logger#ROOT_LOGGER_NAME}) at {@code level}. */
    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture((Logger) LoggerFactory.getLogger(loggerName), level);
    }

    /** The events captured so far, in order. */
    public List<ILoggingEvent> events() {
        return appender.list;
    }

    /**
     * Everything of one event that could carry a secret, as text: logger, formatted and raw message, arguments,
     * key-value pairs, MDC and the exception chain (for the log-secrecy tests).
     */
    public static String render(ILoggingEvent e) {
        StringBuilder s = new StringBuilder().append(e.getLoggerName()).append(' ').append(e.getFormattedMessage())
                .append(' ').append(e.getMessage());
        if (e.getArgumentArray() != null) {
            for (Object a : e.getArgumentArray()) {
                s.append(' ').append(a);
            }
        }
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                s.append(' ').append(kv.key).append('=').append(kv.value);
            }
        }
        s.append(' ').append(e.getMDCPropertyMap());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(before);
    }
}
