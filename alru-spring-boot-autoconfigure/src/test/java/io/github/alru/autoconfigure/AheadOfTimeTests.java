package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.github.alru.AlruCacheable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.DecoratingProxy;
import org.springframework.javapoet.ClassName;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Semantics item 35: Spring AOT processing generates the proxy class of every cached bean (or, for a
 * JDK proxy, registers the hints a native image needs to define it) and the reflection hints of the
 * bean and its values; a method that can never be cached fails the processing, and a self-call is
 * reported by it. Each test uses bean classes of its own: CGLIB generates a class once
 * per JVM, and only that generation is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
class AheadOfTimeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class));

    /** A bean that nothing but alru proxies. */
    static class PlainService {
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("pep-" + number);
        }
    }

    /** A bean without a cached method. */
    static class UncachedService {
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("pep-" + number);
        }
    }

    interface Greeter {
        CompletableFuture<String> greet(String name);
    }

    /** A bean proxied through its interface when {@code spring.aop.proxy-target-class=false}. */
    static class EnglishGreeter implements Greeter {
        @Override
        @AlruCacheable
        public CompletableFuture<String> greet(String name) {
            return completedFuture("Hello " + name);
        }
    }

    /** A bean {@code @Async} proxies first; alru adds its advice to that proxy. */
    static class AsyncService {
        @Async
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("pep-" + number);
        }
    }

    @EnableAsync
    static class AsyncConfiguration {
    }

    record Pep(int number, String title) {
    }

    /** A bean whose cached values a CLUSTER cache would write as JSON. */
    static class PepService {
        @AlruCacheable
        public CompletableFuture<List<Pep>> search(String text) {
            return completedFuture(List.of(new Pep(8, text)));
        }

        public CompletableFuture<List<Pep>> searchTwice(String text) {
            return search(text).thenCombine(search(text + "!"), (a, b) -> a);
        }
    }

    /** A cached method no proxy can intercept. */
    static class PrivateMethodService {
        public CompletableFuture<String> open() {
            return secret();
        }

        @AlruCacheable
        private CompletableFuture<String> secret() {
            return completedFuture("x");
        }
    }

    @Test
    void theProxyClassOfABeanOnlyAlruProxiesIsGeneratedAheadOfTime() {
        runner.withBean(PlainService.class).withBean(UncachedService.class).prepare(context -> {
            InMemoryGeneratedFiles files = processAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class));
            assertThat(generatedClasses(files, PlainService.class)).containsExactly(proxyClassFile(PlainService.class));
            assertThat(generatedClasses(files, UncachedService.class)).isEmpty();
        });
    }

    @Test
    void aCachedBeanBehindAJdkProxyGetsTheProxyHintsANativeImageNeeds() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean(EnglishGreeter.class).prepare(context -> {
            DefaultGenerationContext generation = generateAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class));
            assertThat(RuntimeHintsPredicates.proxies()
                    .forInterfaces(Greeter.class, SpringProxy.class, Advised.class, DecoratingProxy.class))
                    .accepts(generation.getRuntimeHints());
        });
    }

    @Test
    void anAsyncCachedBeanKeepsTheOneProxyClassThatAsyncGenerates() {
        runner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncService.class).prepare(context -> {
            InMemoryGeneratedFiles files = processAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class));
            assertThat(generatedClasses(files, AsyncService.class)).containsExactly(proxyClassFile(AsyncService.class));
        });
    }

    @Test
    void theBeanClassAndTheCachedValuesTypesAreRegisteredForReflection(CapturedOutput output) {
        runner.withBean(PepService.class).prepare(context -> {
            DefaultGenerationContext generation = generateAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class));
            assertThat(RuntimeHintsPredicates.reflection().onType(PepService.class)).accepts(generation.getRuntimeHints());
            assertThat(RuntimeHintsPredicates.reflection().onType(Pep.class)).accepts(generation.getRuntimeHints());
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Pep.class, "title"))
                    .accepts(generation.getRuntimeHints());
            assertThat(output).contains("PepService.searchTwice(String) calls search(String) on this, which bypasses the cache");
        });
    }

    @Test
    void aCachedMethodThatCanNeverBeCachedFailsTheProcessingAndIsNamed() {
        runner.withBean(PrivateMethodService.class).prepare(context -> assertThatThrownBy(() ->
                processAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class)))
                .hasStackTraceContaining("@AlruCacheable method " + PrivateMethodService.class.getName()
                        + ".secret() is private"));
    }

    private static InMemoryGeneratedFiles processAheadOfTime(GenericApplicationContext context) {
        return (InMemoryGeneratedFiles) generateAheadOfTime(context).getGeneratedFiles();
    }

    private static DefaultGenerationContext generateAheadOfTime(GenericApplicationContext context) {
        DefaultGenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(AheadOfTimeTests.class)), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
        generationContext.writeGeneratedContent();
        return generationContext;
    }

    /** The class files generated for subclasses of {@code type}. */
    private static Set<String> generatedClasses(InMemoryGeneratedFiles files, Class<?> type) {
        String prefix = type.getName().replace('.', '/') + "$$";
        return files.getGeneratedFiles(Kind.CLASS).keySet().stream().filter(path -> path.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    private static String proxyClassFile(Class<?> type) {
        return type.getName().replace('.', '/') + "$$SpringCGLIB$$0.class";
    }
}
