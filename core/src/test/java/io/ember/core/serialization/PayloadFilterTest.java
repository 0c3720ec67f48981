package io.ember.core.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.Test;

final class PayloadFilterTest {

    private static final ClassLoader LOADER = PayloadFilterTest.class.getClassLoader();

    /** An application class. */
    record Box(Object content) implements Serializable {}

    private static Object nested(int depth) {
        Object value = "core";
        for (int i = 0; i < depth; i++) {
            value = new Box(value);
        }
        return value;
    }

    @Test
    void letsApplicationClassesThrough() {
        JavaSerializer serializer = new JavaSerializer(PayloadFilter.standard());

        assertEquals(nested(50), serializer.deserialize(serializer.serialize(nested(50)), LOADER));
    }

    @Test
    void refusesTheClassesOfKnownGadgetChains() {
        JavaSerializer serializer = new JavaSerializer(PayloadFilter.standard());
        byte[] payload = serializer.serialize(new BadAttributeValueExpException("x"));

        JavaSerializer.PayloadRejectedException refused = assertThrows(JavaSerializer.PayloadRejectedException.class,
                () -> serializer.deserialize(payload, LOADER));

        assertTrue(refused.getMessage().startsWith("a task payload was refused"), refused.getMessage());
    }

    @Test
    void theOperatorsPatternsComeFirst() {
        JavaSerializer serializer = new JavaSerializer(
                PayloadFilter.withOperatorPatterns("!" + Box.class.getName()));
        byte[] payload = serializer.serialize(new Box("x"));

        assertThrows(JavaSerializer.PayloadRejectedException.class, () -> serializer.deserialize(payload, LOADER));
    }

    @Test
    void theOperatorsLimitsNarrowTheBuiltInOnes() {
        JavaSerializer narrow = new JavaSerializer(PayloadFilter.withOperatorPatterns("maxdepth=10;maxarray=100"));

        assertThrows(JavaSerializer.PayloadRejectedException.class,
                () -> narrow.deserialize(narrow.serialize(nested(50)), LOADER));
        assertThrows(JavaSerializer.PayloadRejectedException.class,
                () -> narrow.deserialize(narrow.serialize(new ArrayList<>(List.of(new int[1_000]))), LOADER));
        assertEquals(nested(5), narrow.deserialize(narrow.serialize(nested(5)), LOADER));
    }

    @Test
    void refusesMalformedOperatorPatternsNamingThem() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PayloadFilter.withOperatorPatterns("maxdepth=lots"));

        assertTrue(refused.getMessage().startsWith("ember.serializer.filter 'maxdepth=lots' is not a valid "
                + "deserialization filter"), refused.getMessage());
    }
}
