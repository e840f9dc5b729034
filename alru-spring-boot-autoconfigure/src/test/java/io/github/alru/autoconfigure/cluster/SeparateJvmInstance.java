package io.github.alru.autoconfigure.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.autoconfigure.cluster.ClusterInstances.PepService;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.testsupport.TestRedis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the test application in a JVM of its own (a child process on the test class
 * path), driven by one-line commands on its standard input. A test can stop the whole JVM with
 * {@code SIGSTOP}, as a long garbage collection or a throttled container would, and compare keys
 * and values across JVMs.
 */
final class SeparateJvmInstance implements AutoCloseable {

    private static final String REPLY = "alru-test-reply: ";

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private SeparateJvmInstance(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.startsWith(REPLY)) {
                        replies.add(line.substring(REPLY.length()));
                    } else {
                        output.add(line);
                        System.out.println("[jvm " + process.pid() + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "separate-jvm-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an instance on {@code redis} and waits until its application has started.
     *
     * @param properties more application properties, {@code name=value}
     */
    static SeparateJvmInstance start(TestRedis redis, String... properties) throws IOException, InterruptedException {
        Path arguments = Files.createTempFile("alru-separate-jvm", ".args");
        arguments.toFile().deleteOnExit();
        // The class path of a test JVM is too long for some command lines: an argument file has no limit.
        Files.write(arguments, List.of("-cp", quoted(System.getProperty("java.class.path")), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + arguments, SeparateJvmInstance.class.getName(), Integer.toString(redis.port())));
        command.addAll(List.of(properties));
        SeparateJvmInstance instance = new SeparateJvmInstance(new ProcessBuilder(command).redirectErrorStream(true).start());
        String ready = instance.replies.poll(60, TimeUnit.SECONDS);
        if (!"started".equals(ready)) {
            instance.close();
            throw new IllegalStateException("the separate JVM did not start (" + ready + "): " + instance.output);
        }
        return instance;
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Sends a command and returns its one-line answer. */
    String ask(String command) throws InterruptedException {
        commands.println(command);
        String reply = replies.poll(30, TimeUnit.SECONDS);
        if (reply == null) {
            throw new IllegalStateException("no answer to '" + command + "' from the separate JVM " + process.pid());
        }
        if (reply.startsWith("error: ")) {
            throw new IllegalStateException("'" + command + "' failed in the separate JVM: " + reply);
        }
        return reply;
    }

    /** Stops the whole JVM, every thread of it, until {@link #resume()}. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(process.pid()))).inheritIO().start().waitFor();
    }

    /** What the JVM has printed besides its answers: its log. */
    List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            commands.println("exit");
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The child's side: {@code <redis port> [name=value ...]}, then commands, one a line: {@code fetch <n>},
     * {@code tags <a,b,...>} and {@code colors <RED,...>} (set arguments, in the order given), {@code contains <cache> <n>}, {@code invalidate <cache> <n>}, {@code resyncs <cache>} (all reasons), {@code linkUp},
     * {@code executions}, {@code exit}.
     */
    public static void main(String[] args) throws Exception {
        PrintStream replies = System.out;
        List<String> properties = new ArrayList<>(List.of(args).subList(1, args.length));
        ConfigurableApplicationContext context;
        try {
            context = ClusterInstances.start(Integer.parseInt(args[0]), properties.toArray(String[]::new));
        } catch (RuntimeException e) {
            replies.println(REPLY + "error: " + e);
            throw e;
        }
        replies.println(REPLY + "started");
        PepService service = context.getBean(PepService.class);
        AlruCacheRegistry registry = context.getBean(AlruCacheRegistry.class);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = input.readLine()) != null && !line.equals("exit");) {
            String[] words = line.split(" ");
            try {
                Object answer = switch (words[0]) {
                    case "fetch" -> service.fetch(Integer.parseInt(words[1])).get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
                    case "tags" -> service.byTags(new java.util.LinkedHashSet<>(List.of(words[1].split(","))))
                            .get(20, TimeUnit.SECONDS);
                    case "colors" -> service.byColors(java.util.Arrays.stream(words[1].split(","))
                            .map(ClusterInstances.Color::valueOf).collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new)))
                            .get(20, TimeUnit.SECONDS);
                    case "contains" -> registry.get(words[1]).contains(Integer.parseInt(words[2]));
                    case "invalidate" -> registry.get(words[1]).invalidate(Integer.parseInt(words[2]));
                    case "resyncs" -> registry.get(words[1]).clusterStats().orElseThrow().resyncs().values().stream()
                            .mapToLong(Long::longValue).sum();
                    case "linkUp" -> context.getBean(ClusterTier.class).linkUp();
                    case "executions" -> Upstream.executions.get();
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                };
                replies.println(REPLY + answer);
            } catch (Exception e) {
                replies.println(REPLY + "error: " + e);
            }
        }
        context.close();
        System.exit(0);
    }
}
