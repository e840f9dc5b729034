package io.github.alru.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * How each Lincheck test runs: the shape of its scenarios (two threads of three operations,
 * after three operations and before two, all on one thread), and how many of them, which is small by
 * default, so that {@code verify} stays quick, and larger when asked through system properties
 * (see this module's README).
 */
final class LincheckRuns {

    /** Scenarios generated per test, for both strategies. */
    static final String ITERATIONS = "alru.lincheck.iterations";
    /** Runs of each scenario in stress mode. */
    static final String STRESS_INVOCATIONS = "alru.lincheck.stressInvocations";
    /** Interleavings explored per scenario in model-checking mode. */
    static final String MODEL_CHECKING_INVOCATIONS = "alru.lincheck.modelCheckingInvocations";

    private LincheckRuns() {
    }

    static StressOptions stress() {
        return shape(new StressOptions())
                .iterations(Integer.getInteger(ITERATIONS, 10))
                .invocationsPerIteration(Integer.getInteger(STRESS_INVOCATIONS, 1_000));
    }

    static ModelCheckingOptions modelChecking() {
        return shape(new ModelCheckingOptions())
                .iterations(Integer.getInteger(ITERATIONS, 10))
                .invocationsPerIteration(Integer.getInteger(MODEL_CHECKING_INVOCATIONS, 50));
    }

    private static <O extends Options<O, ?>> O shape(O options) {
        return options.threads(2).actorsBefore(3).actorsPerThread(3).actorsAfter(2);
    }
}
