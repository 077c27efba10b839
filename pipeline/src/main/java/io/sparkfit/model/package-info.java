/**
 * The network a config describes, and {@code model.zip}: DL4J's layout plus Sparkfit's JSON entries,
 * read without Java deserialization.
 */
package io.sparkfit.model;
