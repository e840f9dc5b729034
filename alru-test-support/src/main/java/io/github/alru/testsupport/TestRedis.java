package io.github.alru.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free port of loopback: the binary that the
 * {@code org.signal:embedded-redis} test dependency ships (Redis 7.0.15), run as a process of our own
 * so that a test can kill it, restart it, or pause it with {@code SIGSTOP}. The same binary serves
 * as a node of a {@link TestRedisCluster} and as a sentinel of a {@link TestRedisSentinel}.
 */
public final class TestRedis implements AutoCloseable {

    private static final String BINARY = "redis-server-7.0.15-linux-amd64";

    private final int port;
    /** Options after the common ones, such as {@code --replicaof}; or, for a sentinel, its configuration. */
    private final List<String> options;
    private final boolean sentinel;
    private Process process;
    /** Where a {@code SAVE} writes its snapshot, which a restart loads; one per server, kept across restarts. */
    private Path directory;

    private TestRedis(int port, List<String> options, boolean sentinel) {
        this.port = port;
        this.options = List.copyOf(options);
        this.sentinel = sentinel;
    }

    /**
     * Starts a server on a free port and waits until it accepts connections.
     *
     * @return the running server
     * @throws IOException if the binary cannot be written or run
     * @throws InterruptedException if interrupted while it starts
     */
    public static TestRedis start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /**
     * Starts a server with more options, such as {@code --replicaof 127.0.0.1 6379}.
     *
     * @param options {@code redis-server} options, after the port, loopback and data directory
     * @return the running server
     * @throws IOException if the binary cannot be written or run
     * @throws InterruptedException if interrupted while it starts
     */
    public static TestRedis start(List<String> options) throws IOException, InterruptedException {
        return start(freePort(), options);
    }

    static TestRedis start(int port, List<String> options) throws IOException, InterruptedException {
        TestRedis redis = new TestRedis(port, options, false);
        redis.launch();
        return redis;
    }

    /**
     * Starts a sentinel watching the master {@code name} at {@code masterPort}, with a quorum of
     * {@code quorum}, that finds a master down after one second without an answer.
     */
    static TestRedis startSentinel(String name, int masterPort, int quorum) throws IOException, InterruptedException {
        TestRedis sentinel = new TestRedis(freePort(), List.of(
                "sentinel monitor " + name + " 127.0.0.1 " + masterPort + " " + quorum,
                "sentinel down-after-milliseconds " + name + " 1000",
                "sentinel failover-timeout " + name + " 4000",
                "sentinel parallel-syncs " + name + " 1"), true);
        sentinel.launch();
        return sentinel;
    }

    /** @return the loopback port it listens on */
    public int port() {
        return port;
    }

    private void launch() throws IOException, InterruptedException {
        if (directory == null) {
            directory = Files.createTempDirectory("alru-test-redis");
        }
        List<String> command = new java.util.ArrayList<>(List.of(binary().toString()));
        if (sentinel) {
            Path configuration = directory.resolve("sentinel.conf");
            if (!Files.exists(configuration)) { // a sentinel rewrites its file: a restart keeps what it learnt
                List<String> lines = new java.util.ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "protected-mode no",
                        "dir " + directory));
                lines.addAll(options);
                Files.write(configuration, lines);
            }
            command.addAll(List.of(configuration.toString(), "--sentinel"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--dir", directory.toString()));
            command.addAll(options);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        process = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.contains(sentinel ? "Sentinel ID is" : "Ready to accept connections")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "test-redis-" + port);
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not start on port " + port);
        }
    }

    /**
     * Runs one command on the server, as its administrator would (over a connection of its own, in
     * Redis's wire protocol), and returns the first line of the reply: {@code +OK}, {@code :1},
     * or {@code -ERR ...}.
     *
     * @param command the command and its arguments, such as {@code "ACL", "SETUSER", "default", "-del"}
     * @return the first line of the reply
     * @throws IOException if the server cannot be reached
     */
    public String call(String... command) throws IOException {
        return send(command, false);
    }

    /**
     * Runs one command as {@link #call} does and returns the whole reply as text: a bulk string as
     * it is (such as {@code INFO}'s), an array's elements one per line, any other reply as its line.
     *
     * @param command the command and its arguments
     * @return the reply
     * @throws IOException if the server cannot be reached
     */
    public String text(String... command) throws IOException {
        return send(command, true);
    }

    /** Sends the command over a connection of its own; returns the reply's first line, or all of it. */
    private String send(String[] command, boolean whole) throws IOException {
        StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            return whole ? readReply(in) : readLine(in);
        }
    }

    private static String readReply(java.io.DataInputStream in) throws IOException {
        String line = readLine(in);
        switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return "";
                }
                byte[] bulk = new byte[length + 2];
                in.readFully(bulk);
                return new String(bulk, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                StringBuilder elements = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    elements.append(i == 0 ? "" : "\n").append(readReply(in));
                }
                return elements.toString();
            }
            default -> {
                return line;
            }
        }
    }

    private static String readLine(java.io.DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new IOException("the connection closed mid-reply");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Whether the server process is running. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the server, as a crash would: every key is lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Starts the server again on the same port: empty, unless a test ran {@code SAVE} before, in
     * which case it starts from that snapshot, as a Redis restarted from its RDB file does.
     */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    /** Freezes the server: connections stay open, nothing answers. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a paused server answer again. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(process.pid()))).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (directory != null) {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                // a snapshot left in the temporary directory
            }
        }
    }

    private static synchronized Path binary() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "alru-test-" + BINARY);
        if (!Files.isExecutable(target)) {
            try (InputStream in = TestRedis.class.getClassLoader().getResourceAsStream(BINARY)) {
                if (in == null) {
                    throw new IllegalStateException(BINARY + " is not on the class path (test dependency org.signal:embedded-redis)");
                }
                Path temporary = Files.createTempFile("alru-redis", ".bin");
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                temporary.toFile().setExecutable(true);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
