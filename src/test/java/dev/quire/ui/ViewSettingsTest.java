package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zoom and theme: kept across starts, clamped, following the OS when asked; each OS's answer parsed. */
class ViewSettingsTest {
    @TempDir
    Path dir;

    @Test
    void zoomAndThemeAreKeptForNextTime() {
        Path file = dir.resolve("settings.properties");
        ViewSettings first = new ViewSettings(file, true);
        assertEquals(14, first.fontSize().get(), "the default from /settings/defaults.properties");
        assertEquals(ViewSettings.Theme.SYSTEM, first.theme().get());
        assertTrue(first.dark(), "following a dark OS");
        first.zoomIn();
        first.zoomIn();
        first.theme().set(ViewSettings.Theme.LIGHT);

        ViewSettings next = new ViewSettings(file, true);
        assertEquals(18, next.fontSize().get());
        assertFalse(next.dark(), "light was chosen over the OS");
        for (int i = 0; i < 40; i++) {
            next.zoomOut();
        }
        assertEquals(ViewSettings.MIN_SIZE, next.fontSize().get());
        next.zoomReset();
        assertEquals(14, next.fontSize().get());
    }

    @Test
    void aDamagedSettingsFileFallsBackToTheDefaults() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.writeString(file, "font.size=huge\ntheme=purple\n");
        ViewSettings s = new ViewSettings(file, false);
        assertEquals(14, s.fontSize().get());
        assertEquals(ViewSettings.Theme.SYSTEM, s.theme().get());
        assertFalse(s.dark());
    }

    @Test
    void eachPlatformsAnswerIsRead() {
        assertTrue(SystemTheme.macDark("Dark\n"));
        assertFalse(SystemTheme.macDark(""));
        assertTrue(SystemTheme.windowsDark("\nHKEY_CURRENT_USER\\Software\\...\\Personalize\n"
                + "    AppsUseLightTheme    REG_DWORD    0x0\n"));
        assertFalse(SystemTheme.windowsDark("    AppsUseLightTheme    REG_DWORD    0x1\n"));
        assertTrue(SystemTheme.gnomeDark("'prefer-dark'\n"));
        assertFalse(SystemTheme.gnomeDark("'default'\n"));
        assertTrue(SystemTheme.gtkDark("Adwaita:dark"));
        assertFalse(SystemTheme.gtkDark(null));
    }
}
