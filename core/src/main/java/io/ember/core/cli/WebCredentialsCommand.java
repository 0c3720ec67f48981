package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.EmberKeys;
import io.ember.core.web.WebCredentials;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember web-credentials}: the user and password that the web UIs, REST APIs and
 * {@code /metrics} of a cluster with {@code ember.auth.secret} require, derived from the secret
 * ({@link WebCredentials}): for a browser's login, a script's {@code curl -u}, or Prometheus's
 * {@code authorization: credentials:}. Without a secret it says so in one line and exits with 1.
 */
@Command(name = "web-credentials",
        mixinStandardHelpOptions = true,
        header = "Print the user and password of the web UIs, REST APIs and /metrics.",
        description = {
            "Print the user and the password that the web UIs, REST APIs and /metrics require when",
            "ember.auth.secret is set. The password is derived from the secret (it is not the secret, and",
            "gives read access to the web servers only). See docs/security.md."
        })
final class WebCredentialsCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    WebCredentialsCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        Optional<String> secret;
        try (QuietConsole quiet = QuietConsole.silence();
             EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings()))
                     .load()) {
            secret = environment.config().core().find(EmberKeys.AUTH_SECRET);
        }
        if (secret.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ember web-credentials: ember.auth.secret is not set, so the web UIs, REST APIs and /metrics "
                    + "need no credentials");
            err.flush();
            return 1;
        }
        WebCredentials credentials = WebCredentials.derivedFrom(secret.get());
        PrintWriter out = spec.commandLine().getOut();
        out.println("user:     " + WebCredentials.USER);
        out.println("password: " + credentials.password());
        out.flush();
        return 0;
    }
}
