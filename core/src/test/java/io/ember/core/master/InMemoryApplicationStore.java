package io.ember.core.master;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link ApplicationStore} in a map, for terms tested without ZooKeeper. */
final class InMemoryApplicationStore implements ApplicationStore {

    record Stored(ApplicationDescription app, int requestedExecutors, long registrationOrder, long registeredAtMillis) {

        Stored(ApplicationDescription app, int requestedExecutors, long registrationOrder) {
            this(app, requestedExecutors, registrationOrder, 0);
        }
    }

    final Map<String, Stored> applications = new ConcurrentHashMap<>();
    final AtomicLong nextApplicationNumber = new AtomicLong();

    @Override
    public void put(ApplicationDescription app, int requestedExecutors, long registrationOrder,
                    long registeredAtMillis) {
        applications.put(app.appId(), new Stored(app, requestedExecutors, registrationOrder, registeredAtMillis));
    }

    @Override
    public void remove(String appId) {
        applications.remove(appId);
    }

    @Override
    public long nextApplicationNumber() {
        return nextApplicationNumber.get();
    }

    @Override
    public void putNextApplicationNumber(long next) {
        nextApplicationNumber.set(next);
    }
}
