package io.sparkfit.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a {@code report.html} chart: the span it draws and its ticks, 4 to 6 of them at a step
 * of 1, 2 or 5 × 10^k, each labelled with the decimals that step needs (and as {@code 2.5e9} where
 * plain decimals would run long, with one exponent per axis). Values: the span is whole steps around
 * the data. Epochs: whole epochs, spanning first to last epoch where that leaves 4 to 6 ticks (else
 * whole steps around them); a run of fewer than 4 epochs gets a tick at each, since more ticks would
 * name epochs that do not exist.
 *
 * @param min the value at the axis' start
 * @param max the value at its end (greater than {@code min})
 * @param step the distance between ticks
 * @param ticks the tick values, ascending
 */
record ChartAxis(double min, double max, double step, List<Double> ticks) {
  static final int MIN_TICKS = 4;
  static final int MAX_TICKS = 6;
  private static final int[] MANTISSAS = {1, 2, 5};
  /** Slack for a value that is a whole number of steps but for rounding. */
  private static final double EPSILON = 1e-9;

  ChartAxis {
    if (!(min < max)) {
      throw new IllegalArgumentException("Invalid chart axis: min " + min + " must be below max " + max);
    }
    ticks = List.copyOf(ticks);
  }

  /** An axis for values in [{@code lo}, {@code hi}]: whole steps from at or below lo to at or above hi. */
  static ChartAxis forValues(double lo, double hi) {
    checkSpan(lo, hi);
    if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12) {
      // One value (or as good as): give it room either side rather than a zero-height axis.
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.05;
      lo -= pad;
      hi += pad;
    }
    return loose(lo, hi, 0);
  }

  /** An axis for epochs {@code first} to {@code last}, ticked at whole epochs. */
  static ChartAxis forEpochs(int first, int last) {
    if (first > last) {
      throw new IllegalArgumentException("Invalid chart epochs: first " + first + " after last " + last);
    }
    if (last - first + 1 < MIN_TICKS) {
      List<Double> each = new ArrayList<>();
      for (int e = first; e <= last; e++) {
        each.add((double) e);
      }
      return new ChartAxis(first - 0.5, last + 0.5, 1, each);
    }
    // From the first epoch to the last where whole-step ticks inside that span are 4 to 6, so no room
    // goes to epochs that did not run; else whole steps around it.
    for (long step = 1; ; step = nextStep(step)) {
      long from = Math.floorDiv(first + step - 1, step);
      long to = Math.floorDiv(last, step);
      if (to - from + 1 <= MAX_TICKS) {
        if (to - from + 1 < MIN_TICKS) {
          return loose(first, last, 1);
        }
        List<Double> ticks = new ArrayList<>();
        for (long i = from; i <= to; i++) {
          ticks.add((double) (i * step));
        }
        return new ChartAxis(first, last, step, ticks);
      }
    }
  }

  /** 1, 2, 5, 10, 20, 50, ... */
  private static long nextStep(long step) {
    long decade = 1;
    while (decade * 10 <= step) {
      decade *= 10;
    }
    long mantissa = step / decade;
    return mantissa == 1 ? 2 * decade : mantissa == 2 ? 5 * decade : 10 * decade;
  }

  private static void checkSpan(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
      throw new IllegalArgumentException("Invalid chart span: [" + lo + ", " + hi + "] (must be finite, low first)");
    }
  }

  /**
   * The finest 1/2/5 step of at least {@code minStep} whose whole-step span around [lo, hi] has at
   * most {@link #MAX_TICKS} ticks. Steps grow by at most 2.5×, so the span rarely ends with fewer than
   * {@link #MIN_TICKS}; when it does (a 2 → 5 jump), it grows by a step, downward unless that crosses zero.
   */
  private static ChartAxis loose(double lo, double hi, double minStep) {
    int exponent = (int) Math.floor(Math.log10((hi - lo) / MAX_TICKS)) - 1;
    boolean finerTried = false;
    while (true) {
      for (int mantissa : MANTISSAS) {
        double step = mantissa * Math.pow(10, exponent);
        if (step < minStep) {
          continue;
        }
        long from = (long) Math.floor(lo / step + EPSILON);
        long to = (long) Math.ceil(hi / step - EPSILON);
        if (to == from) {
          to++;
        }
        if (to - from + 1 <= MAX_TICKS) {
          while (finerTried && to - from + 1 < MIN_TICKS) {
            if (from > 0 || lo < 0) {
              from--;
            } else {
              to++;
            }
          }
          List<Double> ticks = new ArrayList<>();
          for (long i = from; i <= to; i++) {
            ticks.add(i * step + 0.0);
          }
          return new ChartAxis(from * step, to * step, step, ticks);
        }
        finerTried = true;
      }
      exponent++;
    }
  }

  /** Where {@code value} falls between {@code start} (at {@link #min}) and {@code end} (at {@link #max}). */
  double position(double value, double start, double end) {
    return start + (value - min) / (max - min) * (end - start);
  }

  /** A tick's label, with as many decimals as the step needs and none more. */
  String label(double tick) {
    double v = tick == 0 || Math.abs(tick) < step * EPSILON ? 0.0 : tick;
    int stepExponent = (int) Math.floor(Math.log10(step) + EPSILON);
    double largest = Math.max(Math.abs(min), Math.abs(max));
    if (largest >= 1e6 || stepExponent < -4) {
      // One exponent for the whole axis, that of its largest value: 0.5e9, 1.0e9, 1.5e9.
      if (v == 0) {
        return "0";
      }
      int exponent = (int) Math.floor(Math.log10(largest) + EPSILON);
      int decimals = Math.max(0, exponent - stepExponent);
      return String.format(Locale.ROOT, "%." + decimals + "f", v / Math.pow(10, exponent)) + "e" + exponent;
    }
    return String.format(Locale.ROOT, "%." + Math.max(0, -stepExponent) + "f", v);
  }

  /** The longest tick label, in characters: what the chart's left margin must hold. */
  int widestLabel() {
    return ticks.stream().mapToInt(t -> label(t).length()).max().orElse(1);
  }
}
