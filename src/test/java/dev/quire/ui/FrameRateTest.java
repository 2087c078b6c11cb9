package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The app asks JavaFX for 120 pulses a second, unless the command line chose a rate. */
class FrameRateTest {

    @Test
    void quickFramesUnlessTheCommandLineChoseARate() {
        String before = System.getProperty(FrameRate.PROPERTY);
        try {
            System.clearProperty(FrameRate.PROPERTY);
            FrameRate.useQuickFrames();
            assertEquals("120", System.getProperty(FrameRate.PROPERTY));

            System.setProperty(FrameRate.PROPERTY, "75");
            FrameRate.useQuickFrames();
            assertEquals("75", System.getProperty(FrameRate.PROPERTY), "-Djavafx.animation.pulse wins");
        } finally {
            if (before == null) {
                System.clearProperty(FrameRate.PROPERTY);
            } else {
                System.setProperty(FrameRate.PROPERTY, before);
            }
        }
    }
}
