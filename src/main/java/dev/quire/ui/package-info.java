/**
 * The desktop app (issue 7): JavaFX and RichTextFX on top of the client engine, and the only package that imports
 * JavaFX. What can be decided without a window (the status bar's words: {@link dev.quire.ui.StatusLine}) is pure and
 * tested as such; what needs one ({@link dev.quire.ui.TextBinding}) is tested headless with TestFX on Monocle.
 */
package dev.quire.ui;
