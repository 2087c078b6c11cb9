package dev.quire.ui;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** Quire's icon on every window (the title bar, the task switcher), in the sizes the jar carries. */
final class AppIcons {
    private static final int[] SIZES = {16, 32, 48, 64, 128, 256};
    private static List<Image> icons;

    private AppIcons() {
    }

    /** Loaded once, on the JavaFX thread; a missing size is left out rather than failing a window. */
    static void apply(Stage stage) {
        if (icons == null) {
            List<Image> loaded = new ArrayList<>();
            for (int size : SIZES) {
                try (InputStream in = AppIcons.class.getResourceAsStream("/icons/quire-" + size + ".png")) {
                    if (in != null) {
                        loaded.add(new Image(in));
                    }
                } catch (java.io.IOException e) {
                    // a window without this size of icon is still a window
                }
            }
            icons = List.copyOf(loaded);
        }
        stage.getIcons().setAll(icons);
    }
}
