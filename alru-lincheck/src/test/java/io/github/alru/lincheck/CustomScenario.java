package io.github.alru.lincheck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;

/**
 * A Lincheck scenario written out by hand, for a race too narrow for random scenarios to draw:
 * operations named as in the test class, run first on one thread, then on two threads in
 * parallel, then on one thread again.
 */
final class CustomScenario {

    private final Class<?> testClass;
    private final List<Call> initial = new ArrayList<>();
    private final List<Call> firstThread = new ArrayList<>();
    private final List<Call> secondThread = new ArrayList<>();
    private final List<Call> post = new ArrayList<>();

    private CustomScenario(Class<?> testClass) {
        this.testClass = testClass;
    }

    static CustomScenario of(Class<?> testClass) {
        return new CustomScenario(testClass);
    }

    CustomScenario initial(String operation, Object... arguments) {
        initial.add(new Call(operation, arguments));
        return this;
    }

    CustomScenario firstThread(String operation, Object... arguments) {
        firstThread.add(new Call(operation, arguments));
        return this;
    }

    CustomScenario secondThread(String operation, Object... arguments) {
        secondThread.add(new Call(operation, arguments));
        return this;
    }

    CustomScenario post(String operation, Object... arguments) {
        post.add(new Call(operation, arguments));
        return this;
    }

    ExecutionScenario build() {
        return CustomScenarioDSLKt.scenario(scenario -> {
            scenario.initial(thread -> add(thread, initial));
            scenario.parallel(threads -> {
                threads.thread(thread -> add(thread, firstThread));
                threads.thread(thread -> add(thread, secondThread));
                return Unit.INSTANCE;
            });
            scenario.post(thread -> add(thread, post));
            return Unit.INSTANCE;
        });
    }

    private Unit add(DSLThreadScenario thread, List<Call> calls) {
        for (Call call : calls) {
            thread.actor(operation(call.operation()), call.arguments());
        }
        return Unit.INSTANCE;
    }

    private KFunction<?> operation(String name) {
        for (Method method : testClass.getMethods()) {
            if (method.getName().equals(name)) {
                return ReflectJvmMapping.getKotlinFunction(method);
            }
        }
        throw new IllegalArgumentException(testClass.getSimpleName() + " has no operation " + name);
    }

    private record Call(String operation, Object[] arguments) {
    }
}
