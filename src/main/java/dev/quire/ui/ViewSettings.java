package dev.quire.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import java.util.function.Consumer;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.ObservableMap;
import javafx.scene.Scene;

/**
 * How every window looks: the text size (zoom) and the theme, shared by all windows and kept in the user's
 * {@code settings.properties} (over the defaults in {@code /settings/defaults.properties}). Changing one changes
 * every window at once.
 */
final class ViewSettings {
    /** The theme setting: follow the OS, or a fixed one. */
    enum Theme { SYSTEM, LIGHT, DARK }

    static final double MIN_SIZE = 8;
    static final double MAX_SIZE = 48;

    private final Path file;
    private final Properties values = new Properties();
    private final DoubleProperty fontSize = new SimpleDoubleProperty();
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final boolean systemDark;

    /**
     * @param file       the user's settings (need not exist yet)
     * @param systemDark whether the OS prefers dark, asked once at start ({@link SystemTheme#prefersDark()})
     */
    ViewSettings(Path file, boolean systemDark) {
        this.file = file;
        this.systemDark = systemDark;
        try (InputStream in = ViewSettings.class.getResourceAsStream("/settings/defaults.properties")) {
            if (in != null) {
                values.load(in);
            }
        } catch (IOException e) {
            // the built-in defaults below stand
        }
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable settings file is replaced by defaults on the next change; nothing else depends on it
            }
        }
        fontSize.set(clamp(number(values.getProperty("font.size"), 14)));
        theme.set(themeOf(values.getProperty("theme", "system")));
        fontSize.addListener((o, was, now) -> save());
        theme.addListener((o, was, now) -> save());
    }

    DoubleProperty fontSize() {
        return fontSize;
    }

    ObjectProperty<Theme> theme() {
        return theme;
    }

    void zoomIn() {
        fontSize.set(clamp(fontSize.get() + 2));
    }

    void zoomOut() {
        fontSize.set(clamp(fontSize.get() - 2));
    }

    void zoomReset() {
        fontSize.set(14);
    }

    /** Whether windows are drawn dark now. */
    boolean dark() {
        return theme.get() == Theme.DARK || theme.get() == Theme.SYSTEM && systemDark;
    }

    /** Styles {@code scene} now and whenever the theme changes. */
    void style(Scene scene) {
        apply(scene);
        onThemeChange(scene.getProperties(), now -> apply(scene));
    }

    /**
     * Runs {@code action} on every theme change for as long as the owner of {@code ownerProperties} lives. The owner
     * holds the listener; the settings, which outlive every window, hold it only weakly, so a closed window (and its
     * document's text) is not kept in memory by them.
     */
    void onThemeChange(ObservableMap<Object, Object> ownerProperties, Consumer<Theme> action) {
        ChangeListener<Theme> listener = (o, was, now) -> action.accept(now);
        ownerProperties.put(listener, listener);
        theme.addListener(new WeakChangeListener<>(listener));
    }

    private void apply(Scene scene) {
        scene.getStylesheets().setAll(css("quire.css"), css(dark() ? "dark.css" : "light.css"));
    }

    private static String css(String name) {
        return ViewSettings.class.getResource("/themes/" + name).toExternalForm();
    }

    private void save() {
        values.setProperty("font.size", Long.toString(Math.round(fontSize.get())));
        values.setProperty("theme", theme.get().name().toLowerCase(Locale.ROOT));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                values.store(out, "Quire settings");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the setting holds for this run; a read-only folder only costs remembering it
        }
    }

    private static Theme themeOf(String s) {
        try {
            return Theme.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Theme.SYSTEM;
        }
    }

    private static double number(String s, double absent) {
        try {
            return s == null ? absent : Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static double clamp(double size) {
        return Math.max(MIN_SIZE, Math.min(MAX_SIZE, size));
    }
}
