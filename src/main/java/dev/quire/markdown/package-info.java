/**
 * Markdown in and out of a rich text's delta (the Quill-style list of inserts with attributes that {@code YText}
 * gives and takes): export a document as Markdown, import a Markdown file as a document. Pure text work.
 */
package dev.quire.markdown;
