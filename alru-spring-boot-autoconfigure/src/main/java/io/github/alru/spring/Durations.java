package io.github.alru.spring;

import java.util.regex.Pattern;

/**
 * Durations written without a unit. Spring reads a bare number as milliseconds, which for a ttl,
 * a jitter or a refresh is almost never what was meant ({@code ttl = "5"} would keep entries 5 ms),
 * so alru refuses one and suggests the units.
 */
public final class Durations {

    private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+");

    private Durations() {
    }

    /**
     * Tells whether a written duration is a bare number.
     *
     * @param written the duration as written, placeholders resolved
     * @return {@code true} when it has no unit
     */
    public static boolean isUnitless(String written) {
        return BARE_NUMBER.matcher(written.trim()).matches();
    }

    /**
     * Says what is wrong with a bare number, and what to write instead.
     *
     * @param written the bare number
     * @return for {@code 5}: {@code '5' has no unit: write 5s, or 5ms}
     */
    public static String unitlessProblem(String written) {
        String number = written.trim();
        return "'" + number + "' has no unit: write " + number + "s, or " + number + "ms";
    }
}
