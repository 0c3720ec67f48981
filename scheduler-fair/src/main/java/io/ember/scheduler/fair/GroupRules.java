package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The parameters of every group of one level: the declared groups by name, and
 * {@link GroupParameters#UNDECLARED} for any other.
 *
 * @param declared the declared groups' parameters, by name
 */
record GroupRules(SortedMap<String, GroupParameters> declared) {

    GroupRules {
        declared = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(declared, "declared is null")));
    }

    /** Rules for these declared groups. */
    static GroupRules of(Map<String, GroupParameters> declared) {
        return new GroupRules(new TreeMap<>(declared));
    }

    /** The parameters of the group named {@code name}. */
    GroupParameters forGroup(String name) {
        return declared.getOrDefault(requireNonNull(name, "name is null"), GroupParameters.UNDECLARED);
    }
}
