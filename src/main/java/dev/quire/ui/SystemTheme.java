package dev.quire.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the operating system is set to dark: asked the way each platform answers (JavaFX 21 has no API for it; 22
 * added {@code Platform.Preferences}). Each answer is parsed by a pure method, so the parsing is tested everywhere.
 */
final class SystemTheme {
    private SystemTheme() {
    }

    /** True when the OS prefers dark; false when it prefers light or cannot say (asking takes at most 2 s). */
    static boolean prefersDark() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Map<String, String> env = System.getenv();
        if (os.contains("mac")) {
            return macDark(run(List.of("defaults", "read", "-g", "AppleInterfaceStyle")).orElse(""));
        }
        if (os.contains("win")) {
            return windowsDark(run(List.of("reg", "query",
                    "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme")).orElse(""));
        }
        if (gtkDark(env.get("GTK_THEME"))) {
            return true;
        }
        return gnomeDark(run(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")).orElse(""));
    }

    /** {@code defaults read -g AppleInterfaceStyle} prints "Dark" in dark mode and fails in light mode. */
    static boolean macDark(String out) {
        return out.strip().equalsIgnoreCase("dark");
    }

    /** {@code reg query ... AppsUseLightTheme} prints "AppsUseLightTheme REG_DWORD 0x0" when apps are dark. */
    static boolean windowsDark(String out) {
        for (String line : out.split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 3 && parts[0].equals("AppsUseLightTheme")) {
                return parts[2].equalsIgnoreCase("0x0");
            }
        }
        return false;
    }

    /** GNOME 42+: {@code gsettings get org.gnome.desktop.interface color-scheme} prints 'prefer-dark'. */
    static boolean gnomeDark(String out) {
        return out.strip().replace("'", "").equals("prefer-dark");
    }

    /** {@code GTK_THEME=Adwaita:dark}, as GTK reads it. */
    static boolean gtkDark(String gtkTheme) {
        return gtkTheme != null && gtkTheme.toLowerCase(Locale.ROOT).endsWith(":dark");
    }

    private static Optional<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // the tool is not there: no preference
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
