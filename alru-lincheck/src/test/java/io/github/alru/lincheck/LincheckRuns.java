package io.github.alru.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * How each Lincheck test runs: the shape of its scenarios (three operations on one thread, then
 * two threads of three operations each in parallel, then two operations on one thread), and how
 * many of them: few by default, so that {@code verify} stays quick, and more when asked through
 * system properties (see this module's README).
 */
final class LincheckRuns {

    /** Scenarios generated per test, for both strategies. */
    static final String ITERATIONS = "alru.lincheck.iterations";
    /** Runs of each scenario in stress mode. */
    static final String STRESS_INVOCATIONS = "alru.lincheck.stressInvocations";
    /** Interleavings explored per scenario in model-checking mode. */
    static final String MODEL_CHECKING_INVOCATIONS = "alru.lincheck.modelCheckingInvocations";

    /**
     * Loop iterations after which model checking calls a thread stuck. Lincheck's default, 50, is
     * fewer than Caffeine takes to walk its 32-bucket table while another thread waits for its
     * lock, which Lincheck then reports as a hang.
     */
    private static final int LOOP_BOUND = 200;

    /** Interleavings explored for a written-out scenario of a race that sits deep in the code. */
    private static final int DEEP_RACE_INVOCATIONS = 300;

    private LincheckRuns() {
    }

    static StressOptions stress() {
        return shape(new StressOptions())
                .iterations(Integer.getInteger(ITERATIONS, 6))
                .invocationsPerIteration(Integer.getInteger(STRESS_INVOCATIONS, 500));
    }

    static ModelCheckingOptions modelChecking() {
        return shape(new ModelCheckingOptions())
                .iterations(Integer.getInteger(ITERATIONS, 6))
                .invocationsPerIteration(Integer.getInteger(MODEL_CHECKING_INVOCATIONS, 30))
                .loopBound(LOOP_BOUND);
    }

    /** Model checking of {@code scenario} alone, with no random scenarios. */
    static ModelCheckingOptions writtenOut(ExecutionScenario scenario) {
        return modelChecking().iterations(0).addCustomScenario(scenario);
    }

    /**
     * Model checking of a written-out scenario of a race that once broke the engine, with
     * interleavings enough to reach it on both engines: on {@code TINY_LFU} the switch it needs
     * sits deep in Caffeine, past the default count.
     */
    static ModelCheckingOptions deepRace(ExecutionScenario scenario) {
        return writtenOut(scenario).invocationsPerIteration(
                Math.max(DEEP_RACE_INVOCATIONS, Integer.getInteger(MODEL_CHECKING_INVOCATIONS, 0)));
    }

    private static <O extends Options<O, ?>> O shape(O options) {
        return options.threads(2).actorsBefore(3).actorsPerThread(3).actorsAfter(2);
    }
}
