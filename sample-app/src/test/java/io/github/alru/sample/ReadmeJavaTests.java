package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples that a user copies whole (those that start with their imports and
 * declare a class) compile as written, against the starter and the libraries an application has.
 */
class ReadmeJavaTests {

    private static final Pattern CLASS = Pattern.compile("^(?:public )?(?:final )?class (\\w+)", Pattern.MULTILINE);

    @TempDir
    Path classes;

    @Test
    void theQuickStartAndTheRegistryExamplesCompileWithTheirImports() throws IOException {
        List<JavaFileObject> units = new ArrayList<>();
        for (String block : javaBlocks()) {
            Matcher declared = CLASS.matcher(block);
            if (block.startsWith("import ") && declared.find()) {
                units.add(new SimpleJavaFileObject(URI.create("string:///" + declared.group(1) + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return block;
                    }
                });
            }
        }
        assertThat(units).extracting(JavaFileObject::getName).contains("/PepClient.java", "/PepCacheTour.java");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled = javac.getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none"), null, units).call();

        assertThat(compiled).as("the README's examples compile: %s", diagnostics.getDiagnostics()).isTrue();
    }

    private static List<String> javaBlocks() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("```java")) {
                StringBuilder block = new StringBuilder();
                for (i++; !lines.get(i).equals("```"); i++) {
                    block.append(lines.get(i)).append('\n');
                }
                blocks.add(block.toString());
            }
        }
        return blocks;
    }
}
