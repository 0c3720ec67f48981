package io.ember.core.bootstrap;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Launch contexts for tests: no real environment, an empty plugins directory unless given. */
final class TestingLaunch {

    private TestingLaunch() {
    }

    static LaunchContext with(Path home, Path confDir, Map<String, String> env, Map<String, String> props,
                              Map<String, String> settings) {
        return new LaunchContext(Optional.of(home), Optional.ofNullable(confDir), env, props, settings);
    }
}
