package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.alru.AlruCacheable;
import io.github.alru.Scope;
import io.github.alru.autoconfigure.cluster.AlruClusterAutoConfiguration;
import io.github.alru.spring.AlruConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The README's "Mistakes stop the start" block quotes the product's messages: each line there is
 * what a start prints for that mistake, and each mistake the test makes is quoted there. The test
 * beans stand for the README's {@code com.example.PepClient}, named {@code pepClient}.
 */
class ReadmeErrorMessagesTests {

    private static final String README_CLASS = "com.example.PepClient";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AlruAutoConfiguration.class));

    static class PepClient {
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    static class WordyTtl {
        @AlruCacheable(ttl = "ten seconds")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    static class UnitlessTtl {
        @AlruCacheable(ttl = "5")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    static class JitterWithoutTtl {
        @AlruCacheable(jitter = "2s")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    /** Loaded by a class loader without reactor-core, as in an application that has none. */
    public static class PlainValue {
        @AlruCacheable
        public String fetch(int number) {
            return "PEP " + number;
        }
    }

    static class PrivateMethod {
        @AlruCacheable
        @SuppressWarnings("unused")
        private CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    static class Overloads {
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }

        @AlruCacheable
        public CompletableFuture<String> fetch(String title) {
            return completedFuture(title);
        }
    }

    static class ClusterWithoutTier {
        @AlruCacheable(scope = Scope.CLUSTER)
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    @Test
    void everyMessageTheReadmeQuotesIsTheOneTheStartPrints() throws Exception {
        List<String> printed = new ArrayList<>();
        printed.add(failure(fromFile("dotted"), PepClient.class));
        printed.add(failure(fromFile("unknown-cache"), PepClient.class));
        printed.add(failure(fromFile("unknown-setting"), PepClient.class));
        printed.add(failure(runner.withBean("pepClient", WordyTtl.class), WordyTtl.class));
        printed.add(failure(runner.withBean("pepClient", UnitlessTtl.class), UnitlessTtl.class));
        printed.add(failure(fromFile("unitless-ttl"), PepClient.class));
        printed.add(failure(runner.withBean("pepClient", PepClient.class)
                .withPropertyValues("alru.caches.[pepClient.fetch].max-size=-3"), PepClient.class));
        printed.add(failure(runner.withBean("pepClient", JitterWithoutTtl.class), JitterWithoutTtl.class));
        Class<?> withoutReactor = new WithoutReactor().loadClass(PlainValue.class.getName());
        printed.add(failure(runner.withBean("pepClient", withoutReactor), PlainValue.class));
        printed.add(failure(runner.withBean("pepClient", PrivateMethod.class), PrivateMethod.class));
        printed.add(failure(runner.withBean("pepClient", Overloads.class), Overloads.class));
        printed.add(failure(runner.withBean("pepClient", ClusterWithoutTier.class), ClusterWithoutTier.class));
        printed.add(failure(runner.withConfiguration(AutoConfigurations.of(AlruClusterAutoConfiguration.class))
                .withBean(JedisConnectionFactory.class, JedisConnectionFactory::new)
                .withBean("pepClient", ClusterWithoutTier.class), ClusterWithoutTier.class));

        assertThat(quotedInReadme()).containsExactlyInAnyOrderElementsOf(printed);
    }

    /** {@link PepClient} with the properties of {@code readme/<name>/application.properties}, as the README writes them. */
    private ApplicationContextRunner fromFile(String name) {
        return runner.withBean("pepClient", PepClient.class).withInitializer(context -> {
            try {
                context.getEnvironment().getPropertySources().addFirst(new PropertiesPropertySourceLoader()
                        .load(name, new ClassPathResource("readme/" + name + "/application.properties")).get(0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The start's failure message, with the test bean's class written as the README's. */
    private static String failure(ApplicationContextRunner configured, Class<?> bean) {
        AtomicReference<String> message = new AtomicReference<>();
        configured.run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof AlruConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("an AlruConfigurationException for %s", bean.getSimpleName()).isNotNull();
            message.set(new AlruConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription());
        });
        return message.get().replace(bean.getName(), README_CLASS)
                .replaceAll("readme/[a-z-]+/application\\.properties", "application.properties");
    }

    /** The lines of the code block that follows "Mistakes stop the start" in the README. */
    private static List<String> quotedInReadme() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int heading = 0;
        while (!lines.get(heading).startsWith("**Mistakes stop the start**")) {
            heading++;
        }
        int open = heading;
        while (!lines.get(open).equals("```")) {
            open++;
        }
        List<String> quoted = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            quoted.add(lines.get(i));
        }
        return quoted;
    }

    /** Defines {@link PlainValue} itself and finds no reactor-core class, as an application without Reactor. */
    private static final class WithoutReactor extends ClassLoader {
        WithoutReactor() {
            super(ReadmeErrorMessagesTests.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("reactor.")) {
                    throw new ClassNotFoundException(name + " (hidden: an application without reactor-core)");
                }
                if (!name.equals(PlainValue.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return loaded;
            }
        }
    }
}
