package dev.quire.ui;

/**
 * How often JavaFX lays out and draws: 120 times a second instead of its default 60.
 *
 * <p>Why: JavaFX handles a key at once but shows its effect only at the next tick of its pulse timer, which ticks at
 * a fixed rate whatever the app does. At 60 Hz a keystroke waits 0-16.7 ms for its frame before any work, so no
 * editor on JavaFX gets its keystroke-to-screen p99 under one 60 Hz frame (issue 7's target; the bench measured the
 * bare RichTextFX area at the same p99 as Quire's editor). At 120 Hz the wait is 0-8.3 ms, and 120 Hz displays get
 * a frame per refresh. A tick with nothing to lay out or draw does next to nothing, so an idle window stays idle.
 *
 * <p>{@code -Djavafx.animation.pulse=N} still chooses another rate.
 */
final class FrameRate {
    static final String PROPERTY = "javafx.animation.pulse";
    static final int PULSES_PER_SECOND = 120;

    private FrameRate() {
    }

    /** Before JavaFX starts: sets the pulse rate unless the command line set one. */
    static void useQuickFrames() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(PULSES_PER_SECOND));
        }
    }
}
