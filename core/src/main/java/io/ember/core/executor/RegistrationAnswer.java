package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.memory.MemorySettings;
import java.util.List;

/**
 * What the driver answers when it accepts an executor: whom it serves, how often it wants
 * heartbeats, and what the executor needs to run the application's tasks.
 *
 * @param appId the driver's application; empty when it names none
 * @param heartbeatIntervalMillis 0 or less when it names none
 * @param jars the application's JARs, fetched before the first task runs
 * @param maxDirectResultBytes a serialized result larger than this is uploaded on the side
 * @param memory the executor's memory budget, as a share of its heap
 * @param recordSerializer the serializer of shuffled records ({@code ember.serializer}); empty for the
 *     default
 */
record RegistrationAnswer(String appId, long heartbeatIntervalMillis, List<AnnouncedJar> jars,
                          long maxDirectResultBytes, MemorySettings memory, String recordSerializer) {

    RegistrationAnswer {
        requireNonNull(appId, "appId is null");
        jars = List.copyOf(jars);
        requireNonNull(memory, "memory is null");
        requireNonNull(recordSerializer, "recordSerializer is null");
    }
}
