/**
 * A trained model and its files: the network a config describes, {@code model.zip} (DL4J's layout
 * plus Sparkfit's JSON entries, the model's provenance among them, read without Java
 * deserialization), and finding a model on any Hadoop file system.
 */
package io.sparkfit.model;
