package io.p2pdl.cli.progress;

import java.time.Duration;

/** How progress is shown: chosen by {@code --progress}, {@code auto} meaning by whether stdout is a terminal. */
public enum ProgressMode {
    /** {@link #BAR} on a terminal, else {@link #PLAIN}. */
    AUTO,
    /** One live line rewritten with carriage returns. */
    BAR,
    /** One line every few seconds plus a summary: for logs. */
    PLAIN,
    /** Nothing but errors. */
    NONE;

    /** The concrete mode for a terminal ({@code interactive}) or not. */
    public ProgressMode resolve(boolean interactive) {
        return this == AUTO ? (interactive ? BAR : PLAIN) : this;
    }

    /** How often to ask the coordinator for a snapshot in this (resolved) mode. */
    public Duration pollInterval() {
        return switch (this) {
            case BAR, AUTO -> Duration.ofMillis(250);
            case PLAIN -> Duration.ofSeconds(1);
            case NONE -> Duration.ofSeconds(2);
        };
    }

    /** A fresh renderer for this (resolved) mode. */
    public ProgressRenderer newRenderer() {
        return switch (this) {
            case BAR, AUTO -> new LiveProgressRenderer();
            case PLAIN -> new PlainProgressRenderer();
            case NONE -> new SilentProgressRenderer();
        };
    }
}
