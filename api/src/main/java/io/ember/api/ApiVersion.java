package io.ember.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of the Ember plugin API, {@code major.minor}.
 *
 * <p>A plugin JAR names the API version it was compiled against in its manifest, attribute
 * {@value #MANIFEST_ATTRIBUTE}. The host accepts a plugin when the majors are equal and the
 * plugin's minor is not newer than the host's: minors only add (as {@code default} methods),
 * majors may remove or change.
 *
 * <p>Immutable and thread-safe.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The manifest attribute in which a plugin JAR names the API version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Ember-Api-Version";

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");
    private static final ApiVersion CURRENT = readCurrent();

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("API version parts must be >= 0: " + major + "." + minor);
        }
    }

    /** The API version of the {@code ember-api} JAR on the class path. */
    public static ApiVersion current() {
        return CURRENT;
    }

    /**
     * Parses {@code major.minor}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static ApiVersion parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an API version of the form major.minor: '" + text + "'");
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * Whether a host offering this version can run a plugin built against {@code pluginVersion}:
     * same major, and the plugin's minor no newer than this one.
     */
    public boolean canHost(ApiVersion pluginVersion) {
        return pluginVersion.major == major && pluginVersion.minor <= minor;
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }

    private static ApiVersion readCurrent() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("api-version.properties is missing from the ember-api JAR");
            }
            Properties p = new Properties();
            p.load(in);
            return parse(p.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read api-version.properties", e);
        }
    }
}
