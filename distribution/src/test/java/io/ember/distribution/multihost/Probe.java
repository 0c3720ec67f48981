package io.ember.distribution.multihost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest TCP server and client, run as their own processes on harness hosts to prove what
 * the network lets through: {@code listen ADDRESS PORT} echoes one byte per connection (and prints
 * {@code listening} once bound); {@code connect ADDRESS PORT TIMEOUT_MS} connects, sends a byte,
 * reads its echo and prints {@code connected in N us, round trip N us}, or exits 1 with one line saying why.
 */
public final class Probe {

    private Probe() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "listen" -> listen(args[1], Integer.parseInt(args[2]));
            case "connect" -> System.exit(connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            default -> throw new IllegalArgumentException("usage: Probe listen ADDRESS PORT | connect ADDRESS PORT TIMEOUT_MS");
        }
    }

    /** The command line that runs this class with {@code args} in a JVM of its own. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), Probe.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The directory or JAR this class was loaded from: the class path of a probe process. */
    private static String classPath() {
        try {
            return Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void listen(String address, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(address, port));
            System.out.println("listening on " + address + ":" + port);
            System.out.flush();
            while (true) {
                try (Socket socket = server.accept()) {
                    int b = socket.getInputStream().read();
                    if (b >= 0) {
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                    }
                }
            }
        }
    }

    private static int connect(String address, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            long start = System.nanoTime();
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            long connected = System.nanoTime();
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long sent = System.nanoTime();
            out.write(42);
            out.flush();
            if (in.read() != 42) {
                System.out.println("no echo from " + address + ":" + port);
                return 1;
            }
            long echoed = System.nanoTime();
            System.out.println("connected in " + (connected - start) / 1000 + " us, round trip " + (echoed - sent) / 1000 + " us");
            return 0;
        } catch (IOException e) {
            System.out.println("cannot reach " + address + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }
}
