package io.ember.api.shuffle;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One block of shuffle data: what map task {@code mapId} of shuffle {@code shuffleId} wrote for
 * reduce partition {@code reduceId}. Its text form, {@code shuffle_<shuffleId>_<mapId>_<reduceId>},
 * is what travels in fetch requests; {@link #parse} accepts nothing else.
 *
 * @param shuffleId the shuffle, unique within its application
 * @param mapId the map task attempt that wrote it, unique within the application (a re-run of a map
 *     partition gets a new id, so its files never collide with the first run's)
 * @param reduceId the reduce partition
 */
public record ShuffleBlockId(int shuffleId, long mapId, int reduceId) implements java.io.Serializable {

    private static final Pattern TEXT = Pattern.compile("shuffle_(0|[1-9][0-9]{0,9})_(0|[1-9][0-9]{0,18})_(0|[1-9][0-9]{0,9})");

    public ShuffleBlockId {
        if (shuffleId < 0 || mapId < 0 || reduceId < 0) {
            throw new IllegalArgumentException("shuffle block ids are >= 0: " + shuffleId + "/" + mapId + "/" + reduceId);
        }
    }

    /**
     * Parses the text form strictly: the prefix, three decimal numbers without sign or leading zero,
     * each in range; nothing before or after.
     *
     * @throws IllegalArgumentException quoting the text (shortened) when it is not a block id
     */
    public static ShuffleBlockId parse(String text) {
        if (text == null || text.length() > 64) {
            throw new IllegalArgumentException("not a shuffle block id: " + shorten(text));
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a shuffle block id: " + shorten(text));
        }
        try {
            return new ShuffleBlockId(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a shuffle block id (out of range): " + shorten(text));
        }
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public String toString() {
        return "shuffle_" + shuffleId + "_" + mapId + "_" + reduceId;
    }
}
