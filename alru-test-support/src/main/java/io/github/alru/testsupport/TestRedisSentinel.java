package io.github.alru.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A master, its replica and three sentinels (quorum two), each a {@link TestRedis} process of the
 * shipped binary: the set Sentinel users run, with {@code min-replicas-to-write 1} as Redis advises. A sentinel finds the master down after one second
 * without an answer, and the sentinels then promote the replica; {@link #master()} asks them which
 * node that is now.
 */
public final class TestRedisSentinel implements AutoCloseable {

    /** The name the sentinels know the master by, as {@code spring.data.redis.sentinel.master} takes it. */
    public static final String MASTER = "alru-master";

    private final List<TestRedis> servers = new ArrayList<>();
    private final List<TestRedis> sentinels = new ArrayList<>();

    private TestRedisSentinel() {
    }

    /**
     * Starts the master, a replica of it and three sentinels, and waits until the replica is in
     * sync and every sentinel knows the replica and the other sentinels.
     *
     * @return the running set
     * @throws IOException if a process cannot be started or reached
     * @throws InterruptedException if interrupted while it starts
     */
    public static TestRedisSentinel start() throws IOException, InterruptedException {
        TestRedisSentinel set = new TestRedisSentinel();
        try {
            // As Redis advises behind Sentinel: a master that lost its replicas (cut off with some
            // clients while the others promote one) refuses writes, which the failover would lose.
            List<String> writesNeedAReplica = List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", "3");
            TestRedis master = TestRedis.start(writesNeedAReplica);
            set.servers.add(master);
            List<String> replica = new java.util.ArrayList<>(writesNeedAReplica);
            replica.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            set.servers.add(TestRedis.start(replica));
            for (int i = 0; i < 3; i++) {
                set.sentinels.add(TestRedis.startSentinel(MASTER, master.port(), 2));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!set.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sentinel set did not come together: "
                            + set.sentinels.get(0).text("SENTINEL", "MASTER", MASTER));
                }
                Thread.sleep(50);
            }
            return set;
        } catch (IOException | InterruptedException | RuntimeException e) {
            set.close();
            throw e;
        }
    }

    private boolean ready() throws IOException {
        if (!servers.get(1).text("INFO", "replication").contains("master_link_status:up")) {
            return false;
        }
        for (TestRedis sentinel : sentinels) {
            String master = sentinel.text("SENTINEL", "MASTER", MASTER);
            if (!fieldIs(master, "num-slaves", "1") || !fieldIs(master, "num-other-sentinels", "2")) {
                return false;
            }
        }
        return true;
    }

    /** Whether a reply of field names and values, one per line, gives {@code field} the value {@code value}. */
    private static boolean fieldIs(String reply, String field, String value) {
        String[] lines = reply.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (lines[i].equals(field)) {
                return lines[i + 1].equals(value);
            }
        }
        return false;
    }

    /**
     * @return the sentinels as {@code spring.data.redis.sentinel.nodes} takes them
     */
    public String sentinelNodes() {
        return sentinels.stream().map(sentinel -> "127.0.0.1:" + sentinel.port()).collect(Collectors.joining(","));
    }

    /**
     * @return the server the sentinels name as master now
     * @throws IOException if no sentinel answers
     */
    public TestRedis master() throws IOException {
        for (TestRedis sentinel : sentinels) {
            if (!sentinel.alive()) {
                continue;
            }
            String[] address = sentinel.text("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER).split("\n");
            int port = Integer.parseInt(address[1]);
            for (TestRedis server : servers) {
                if (server.port() == port) {
                    return server;
                }
            }
        }
        throw new IllegalStateException("no sentinel names a master");
    }

    /** @return the master and the replica, in the order they started */
    public List<TestRedis> servers() {
        return servers;
    }

    @Override
    public void close() {
        sentinels.forEach(TestRedis::close);
        servers.forEach(TestRedis::close);
    }
}
