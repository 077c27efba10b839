/**
 * What a trained model reads, as {@code model.zip} stores it: its feature columns with what was
 * learned for each ({@code FeatureSpec}, {@code InputColumn}), which columns feed which network input
 * ({@code InputLayout}), the input scaling ({@code Normalizer}), the label column and the label index.
 * Plain records and JSON, free of Spark and DL4J (a test holds it to that).
 */
package io.sparkfit.inputs;
