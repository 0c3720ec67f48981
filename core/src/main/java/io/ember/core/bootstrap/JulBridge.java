package io.ember.core.bootstrap;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} into SLF4J, so that what libraries log there (gRPC, some of the
 * JDK) goes through the process's logback configuration, its levels and its appenders, instead of
 * the JDK's console handler. Installed first thing by every Ember process's main method; a driver
 * embedded in an application leaves the application's logging alone.
 */
public final class JulBridge {

    private JulBridge() {
    }

    /** Installs the bridge, replacing the JDK's root handlers; does nothing when it is installed. */
    public static void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
