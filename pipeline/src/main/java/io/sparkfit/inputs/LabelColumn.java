package io.sparkfit.inputs;

import java.io.Serializable;

/**
 * The label column a model was trained on: its name, and its Spark SQL type as DDL (e.g. {@code
 * int}, {@code string}), so predictions come back in the label's own type.
 */
public record LabelColumn(String name, String sqlType) implements Serializable {}
