package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo blocks run as pasted: each block marked {@code <!-- readme-demo: name -->} is
 * handed, unchanged, to {@code bash} (as a pasted block runs: no {@code -e}) in a fresh directory where {@code sample-app/target/alru-sample.jar}
 * is the jar this build packaged, and what it prints is checked against what the README says it
 * prints. The only difference from a user's shell is the Redis port, given to the instances as
 * {@code SPRING_DATA_REDIS_PORT}: the test's own {@code redis-server} instead of one on 6379.
 */
class ReadmeDemoIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = REPOSITORY.resolve("sample-app/target/alru-sample.jar");

    static TestRedis redis;

    @TempDir
    Path directory;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void theJarAndThePortsTheReadmeUses() throws IOException {
        assertThat(JAR).as("the packaged sample (run through verify, after package)").isRegularFile();
        Files.createDirectories(directory.resolve("sample-app/target"));
        Files.createSymbolicLink(directory.resolve("sample-app/target/alru-sample.jar"), JAR);
        for (int port : new int[] {8080, 8081, 8082}) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + ", which the README's demos use, is taken on this machine", e);
            }
        }
    }

    @AfterEach
    void noInstanceOutlivesItsBlock() throws Exception {
        List<ProcessHandle> stillRunning = new ArrayList<>();
        for (ProcessHandle instance : samples()) {
            try {
                // stopped by the block's kill: a graceful shutdown, which lets loads in flight finish
                instance.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                instance.destroyForcibly();
                stillRunning.add(instance);
            }
        }
        assertThat(stillRunning).as("instances the block did not stop").isEmpty();
    }

    @Test
    void theTwoInstanceDemoSharesOneUpstreamCallAndClearsBothAndStopsThem() throws Exception {
        List<String> printed = run("cluster");

        assertThat(printed).as("the upstream counter, then the endpoint's answer").hasSize(2);
        assertThat(printed.get(0)).as("fifty requests on two instances, one upstream call").isEqualTo("1");
        assertThat(printed.get(1)).contains("\"name\":\"pepClient.fetch\"").contains("\"currentSize\":0");
    }

    @Test
    void theStampedeDemoRunsThePepFetchOnce() throws Exception {
        Process app = new ProcessBuilder("java", "-jar", JAR.toString()).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve("app.log").toFile()).start();
        try {
            // the README starts it in a terminal of its own and calls it once it is up
            List<String> up = bash("curl -s -o /dev/null -w '%{http_code}' --retry 60 --retry-connrefused --retry-delay 1"
                    + " localhost:8080/actuator/health");
            assertThat(up).containsExactly("200");

            List<String> printed = run("stampede");

            assertThat(printed).as("fifty requests for PEP 20, one upstream call").containsExactly("1");
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theRefreshDemoReloadsInTheBackgroundAndStopsTheApp() throws Exception {
        List<String> printed = run("refresh");

        assertThat(printed).as("sixty timings, then the upstream counter").hasSize(61);
        assertThat(printed.subList(0, 60)).allMatch(line -> line.matches("\\d+\\.\\d+"), "a time in seconds");
        int upstreamCalls = Integer.parseInt(printed.get(60));
        assertThat(upstreamCalls).as("one load and the reloads of 30 s with refresh 5s, not one per request").isBetween(2, 10);
    }

    /** Runs the README's block {@code name} as pasted; returns what it printed, line by line. */
    private List<String> run(String name) throws IOException, InterruptedException {
        return bash(block(name));
    }

    private List<String> bash(String script) throws IOException, InterruptedException {
        Path out = directory.resolve("out.txt");
        Path err = directory.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
        Process shell = builder.start();
        boolean ended = shell.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            shell.destroyForcibly();
        }
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(ended).as("the block ended (it hung before: %s)", errors).isTrue();
        assertThat(shell.exitValue()).as("the block's exit code; it printed on stderr: %s", errors).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
    }

    /** The shell block under {@code <!-- readme-demo: name -->} in the README. */
    static String block(String name) throws IOException {
        List<String> lines = Files.readAllLines(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        int marker = lines.indexOf("<!-- readme-demo: " + name + " -->");
        assertThat(marker).as("the README marks the block '%s'", name).isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```sh");
        List<String> block = new ArrayList<>();
        for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i));
        }
        return String.join("\n", block) + "\n";
    }

    private static List<ProcessHandle> samples() {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains("alru-sample.jar"))
                .toList();
    }
}
