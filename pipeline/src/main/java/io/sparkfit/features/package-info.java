/**
 * Feature kinds, one class each (numeric, categorical, array, sequence, datetime), each owning its
 * stages for one column: its schema match, its projection, its validity (a Java predicate and the same
 * rule as a Spark SQL column, side by side), its statistics state, what is fitted from it, and its
 * encoding. {@code Features} matches a schema to the kinds; {@code FeatureEncoder} encodes a row with them.
 * Adding a kind is a class here, an {@code InputColumn} record, and its branch in {@code Features}.
 */
package io.sparkfit.features;
