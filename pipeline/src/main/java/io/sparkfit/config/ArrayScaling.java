package io.sparkfit.config;

/**
 * {@code scale} of an array column in {@code data.features}: how {@code data.normalize} applies to its values.
 */
public enum ArrayScaling {
  /**
   * The default, by kind: a declared image ({@code shape}) one min-max range for all its pixels
   * (whatever {@code data.normalize} says, unless none); a Spark ML vector, most often a
   * {@code VectorAssembler}'s row of different columns, {@link #PER_ELEMENT}; any other
   * {@code array<float|double>} (pixels without a shape, an embedding) {@link #PER_COLUMN}.
   */
  AUTO,
  /**
   * One shift and one scale for the whole column, from all its values pooled. An array
   * is usually one quantity in many places (an image's pixels, an embedding's dimensions), and
   * scaling it element by element turns an element that is nearly always 0 into huge inputs on the
   * rows where it is not (docs/features.md, "Arrays").
   */
  PER_COLUMN,
  /** Each element by its own statistics: for arrays whose elements are different measurements. */
  PER_ELEMENT
}
