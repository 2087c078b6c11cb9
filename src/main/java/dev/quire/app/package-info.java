/**
 * The desktop app's wiring that needs no window: the server it embeds for "On this computer" ({@link
 * dev.quire.app.LocalServer}). The windows are in {@code dev.quire.ui}.
 */
package dev.quire.app;
