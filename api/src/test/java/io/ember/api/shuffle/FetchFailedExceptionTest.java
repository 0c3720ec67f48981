package io.ember.api.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** A fetch failure reads back on a driver that cannot load the shuffle plugin's own classes. */
final class FetchFailedExceptionTest {

    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(4, 7, 1);
    private static final BlockLocation WHERE = new BlockLocation("2", "10.0.0.7", 7337);

    /** Stands for an exception class of a plugin, which the driver's class loader does not see. */
    static final class PluginOnlyException extends IOException {
        private static final long serialVersionUID = 1L;

        PluginOnlyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void aCauseOfAPluginsClassReadsBackWhereThatClassDoesNotLoad() throws Exception {
        FetchFailedException sent = new FetchFailedException(BLOCK, WHERE, "no answer", new PluginOnlyException(
                "cannot connect to 10.0.0.7:7337: no answer within 5000 ms", new SocketTimeoutException("slow")), true);

        FetchFailedException read = (FetchFailedException) readBackWithoutPluginClasses(sent);

        assertEquals(sent.getMessage(), read.getMessage());
        assertEquals(BLOCK, read.block());
        assertEquals(WHERE, read.location());
        assertTrue(read.locationLost());
        assertEquals(IOException.class, read.getCause().getClass());
        assertEquals(PluginOnlyException.class.getName() + ": cannot connect to 10.0.0.7:7337: no answer within 5000 ms",
                read.getCause().getMessage());
        assertEquals(SocketTimeoutException.class, read.getCause().getCause().getClass());
    }

    @Test
    void aCauseOfJdkTypesIsKeptAsItIs() {
        SocketTimeoutException cause = new SocketTimeoutException("slow");

        assertSame(cause, new FetchFailedException(BLOCK, WHERE, "no answer", cause).getCause());
    }

    /** Serializes, then deserializes refusing every class outside the JDK and the API. */
    private static Object readBackWithoutPluginClasses(Object sent) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        try (ObjectInputStream in = new RefusingInput(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    private static final class RefusingInput extends ObjectInputStream {
        RefusingInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName().replaceFirst("^\\[+L?", "");
            if (!name.startsWith("java.") && !(name.startsWith("io.ember.api.") && !name.contains("$"))) {
                throw new ClassNotFoundException(name + " does not load here");
            }
            return super.resolveClass(desc);
        }
    }
}
