package io.github.alru.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between one client and a server, for injecting network faults into that
 * client's connections alone: a partition (bytes vanish both ways, connections stay open, as when
 * a network drops packets), a slow link (each chunk delayed), or reset connections. Bytes pass
 * through unchanged otherwise, on two threads per connection.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket listening;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean partitioned;
    private volatile long delayMillis;
    private volatile boolean closed;

    private FaultProxy(int target) throws IOException {
        this.target = target;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-" + listening.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to a port of loopback.
     *
     * @param target the port the proxy forwards to
     * @return the running proxy
     * @throws IOException if no port can be bound
     */
    public static FaultProxy to(int target) throws IOException {
        return new FaultProxy(target);
    }

    /** @return the loopback port clients connect to */
    public int port() {
        return listening.getLocalPort();
    }

    /** From now on, bytes in either direction vanish; connections stay open and new ones are accepted, and hang. */
    public void partition() {
        partitioned = true;
    }

    /**
     * Ends a partition: the connections it held are reset (what vanished broke their framing), and
     * new ones pass again.
     */
    public void heal() {
        partitioned = false;
        reset();
    }

    /**
     * Delays every chunk of bytes by {@code delay}, both ways; {@link Duration#ZERO} ends it.
     *
     * @param delay the delay of each chunk
     */
    public void slow(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /** Resets every connection through the proxy, as a restarted router or a dropped NAT entry does. */
    public void reset() {
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0;) {
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    if (!partitioned) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // reset, or closed by either side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        reset();
        try {
            listening.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
