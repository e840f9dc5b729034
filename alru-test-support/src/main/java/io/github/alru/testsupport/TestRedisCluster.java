package io.github.alru.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of masters without replicas, each a {@link TestRedis} process of the shipped
 * binary, formed as an operator would without {@code redis-cli}: each node is given an equal,
 * contiguous range of the 16,384 slots ({@code CLUSTER ADDSLOTSRANGE}) and meets the first
 * ({@code CLUSTER MEET}); the cluster is ready once every node reports {@code cluster_state:ok}.
 * A master killed leaves its slots uncovered, while the other masters keep serving theirs
 * ({@code cluster-require-full-coverage no}).
 */
public final class TestRedisCluster implements AutoCloseable {

    private static final int SLOTS = 16_384;

    private final List<TestRedis> masters;

    private TestRedisCluster(List<TestRedis> masters) {
        this.masters = masters;
    }

    /**
     * Starts {@code count} masters and forms the cluster.
     *
     * @param count how many masters
     * @return the formed cluster
     * @throws IOException if a node cannot be started or reached
     * @throws InterruptedException if interrupted while it forms
     */
    public static TestRedisCluster start(int count) throws IOException, InterruptedException {
        List<TestRedis> nodes = new ArrayList<>();
        List<Integer> busPorts = new ArrayList<>();
        TestRedisCluster cluster = new TestRedisCluster(nodes);
        try {
            for (int i = 0; i < count; i++) {
                busPorts.add(TestRedis.freePort());
                nodes.add(TestRedis.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-port", Integer.toString(busPorts.get(i)), "--cluster-node-timeout", "2000",
                        "--cluster-require-full-coverage", "no")));
            }
            for (int i = 0; i < count; i++) {
                int first = i * SLOTS / count;
                int last = (i + 1) * SLOTS / count - 1;
                expectOk(nodes.get(i).call("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last)));
            }
            for (int i = 1; i < count; i++) {
                expectOk(nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port()),
                        Integer.toString(busPorts.get(i))));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!cluster.formed()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not form: " + nodes.get(0).text("CLUSTER", "NODES"));
                }
                Thread.sleep(50);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private boolean formed() throws IOException {
        for (TestRedis node : masters) {
            String info = node.text("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + masters.size())) {
                return false;
            }
        }
        return true;
    }

    private static void expectOk(String reply) {
        if (!reply.equals("+OK")) {
            throw new IllegalStateException("the cluster refused to form: " + reply);
        }
    }

    /** @return the masters, in the order of the slot ranges they hold */
    public List<TestRedis> masters() {
        return masters;
    }

    /** @return the nodes as {@code spring.data.redis.cluster.nodes} takes them: {@code 127.0.0.1:port,...} */
    public String nodes() {
        return masters.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /**
     * @param slot a hash slot
     * @return the master that holds it (while none was killed)
     */
    public TestRedis masterOf(int slot) {
        return masters.get(slot * masters.size() / SLOTS);
    }

    @Override
    public void close() {
        masters.forEach(TestRedis::close);
    }
}
