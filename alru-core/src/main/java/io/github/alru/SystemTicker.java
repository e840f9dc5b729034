package io.github.alru;

/** {@link System#nanoTime()}, as one instance an engine can recognise. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
