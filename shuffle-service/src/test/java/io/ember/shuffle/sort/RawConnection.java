package io.ember.shuffle.sort;

import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Optional;

/** A plain socket to a shuffle server, for sending what a well-behaved client never would. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    /** Connects and reads the server's hello. */
    RawConnection(int port) throws IOException {
        this(port, Optional.empty());
    }

    /** Connects, reads the server's hello and, with a secret, answers its challenge. */
    RawConnection(int port, Optional<String> secret) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        int length = in.readInt();
        ShuffleMessage hello = MessageCodec.decode(Unpooled.wrappedBuffer(in.readNBytes(length)));
        if (secret.isPresent() && hello instanceof ShuffleMessage.Hello h && h.authRequired()) {
            send(ShuffleServerTest.frame(new ShuffleMessage.AuthResponse(new ShuffleAuth(secret.get()).respond(h.nonce()))));
        }
    }

    /** Sends bytes as they are. */
    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends one frame: its length, then the bytes. */
    RawConnection sendFrame(byte[] frame) throws IOException {
        out.writeInt(frame.length);
        return send(frame);
    }

    /** Sends a message and reads the server's reply. */
    ShuffleMessage request(ShuffleMessage message) throws IOException {
        send(ShuffleServerTest.frame(message));
        byte[] frame = in.readNBytes(in.readInt());
        return MessageCodec.decode(Unpooled.wrappedBuffer(frame));
    }

    /** Reads until the server closes the connection; returns how many bytes came before. */
    int bytesUntilClosed() throws IOException {
        int count = 0;
        try {
            while (in.read() >= 0) {
                count++;
            }
        } catch (IOException reset) {
            // a reset is a close too
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
