/**
 * H2 plumbing shared by the server's storage ({@code dev.quire.server.storage}) and the client's local store
 * ({@code dev.quire.store}): reading failures into causes ({@link dev.quire.h2.H2Errors}), rolling back after one
 * ({@link dev.quire.h2.H2Connections}) and versioned schema
 * migrations ({@link dev.quire.h2.Migrations}). It knows neither of them; each keeps its own exceptions
 * and the advice they give.
 */
package dev.quire.h2;
