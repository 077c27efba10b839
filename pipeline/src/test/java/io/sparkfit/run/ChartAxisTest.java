package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The report's axis ticks, without a browser: over many spans and magnitudes, and a few by example. */
class ChartAxisTest {

  @Test
  void valueAxesHaveFourToSixNiceTicksCoveringTheDataAndLabelsThatReadBack() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      double magnitude = Math.pow(10, random.nextInt(21) - 9);
      double lo = (random.nextDouble() * 2 - 1) * magnitude;
      double hi = lo + (i % 10 == 0 ? 0 : random.nextDouble() * magnitude * Math.pow(10, -random.nextInt(4)));
      ChartAxis axis = ChartAxis.forValues(lo, hi);
      String context = "[" + lo + ", " + hi + "] -> " + axis;
      assertThat(axis.ticks()).as(context).hasSizeBetween(ChartAxis.MIN_TICKS, ChartAxis.MAX_TICKS);
      assertThat(axis.min()).as(context).isLessThanOrEqualTo(lo);
      assertThat(axis.max()).as(context).isGreaterThanOrEqualTo(hi);
      assertThat(axis.ticks().get(0)).as(context).isEqualTo(axis.min());
      assertThat(axis.ticks().get(axis.ticks().size() - 1)).as(context).isEqualTo(axis.max());
      assertNiceStep(axis.step(), context);
      List<String> labels = axis.ticks().stream().map(axis::label).toList();
      assertThat(labels).as(context).doesNotHaveDuplicates();
      for (int t = 0; t < labels.size(); t++) {
        assertThat(Double.parseDouble(labels.get(t))).as(context + " label " + labels.get(t))
            .isCloseTo(axis.ticks().get(t), offset(axis.step() * 1e-6));
      }
      assertThat(axis.widestLabel()).as(context).isLessThanOrEqualTo(16);
    }
  }

  @Test
  void epochAxesTickWholeEpochsFourToSixTimesOrEveryEpochOfAShortRun() {
    for (int first = 1; first <= 30; first += 7) {
      for (int last = first; last <= first + 600; last++) {
        ChartAxis axis = ChartAxis.forEpochs(first, last);
        String context = first + ".." + last + " -> " + axis;
        int epochs = last - first + 1;
        if (epochs < ChartAxis.MIN_TICKS) {
          assertThat(axis.ticks()).as(context).hasSize(epochs);
          assertThat(axis.ticks().get(0)).as(context).isEqualTo(first);
        } else {
          assertThat(axis.ticks()).as(context).hasSizeBetween(ChartAxis.MIN_TICKS, ChartAxis.MAX_TICKS);
          assertNiceStep(axis.step(), context);
        }
        assertThat(axis.step()).as(context).isGreaterThanOrEqualTo(1);
        assertThat(axis.min()).as(context).isLessThanOrEqualTo(first);
        assertThat(axis.max()).as(context).isGreaterThanOrEqualTo(last);
        assertThat(axis.ticks()).as(context).allSatisfy(t -> {
          assertThat(t).isEqualTo(Math.rint(t));
          assertThat(t).isBetween(axis.min(), axis.max());
        });
        assertThat(axis.ticks().stream().map(axis::label).toList()).as(context).allSatisfy(l -> assertThat(l).matches("\\d+"));
      }
    }
  }

  @Test
  void labelsCarryTheDecimalsTheStepNeeds() {
    ChartAxis loss = ChartAxis.forValues(0.27, 1.06);
    assertThat(loss.ticks().stream().map(loss::label)).containsExactly("0.2", "0.4", "0.6", "0.8", "1.0", "1.2");
    ChartAxis mse = ChartAxis.forValues(1.2e9, 4.9e9);
    assertThat(mse.ticks().stream().map(mse::label)).containsExactly("1e9", "2e9", "3e9", "4e9", "5e9");
    ChartAxis r2 = ChartAxis.forValues(-0.47, 0.58);
    assertThat(r2.ticks().stream().map(r2::label)).containsExactly("-0.5", "0.0", "0.5", "1.0");
    ChartAxis epochs = ChartAxis.forEpochs(1, 12);
    assertThat(epochs.ticks().stream().map(epochs::label)).containsExactly("2", "4", "6", "8", "10", "12");
    assertThat(epochs.min()).isEqualTo(1);
    assertThat(epochs.max()).isEqualTo(12);
  }

  @Test
  void aSpanThatIsNotOneIsRefusedWithItsValues() {
    assertThatThrownBy(() -> ChartAxis.forValues(2, 1)).hasMessageContaining("[2.0, 1.0]");
    assertThatThrownBy(() -> ChartAxis.forValues(0, Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> ChartAxis.forEpochs(5, 4)).hasMessageContaining("first 5 after last 4");
  }

  private static void assertNiceStep(double step, String context) {
    double exponent = Math.floor(Math.log10(step) + 1e-9);
    double mantissa = step / Math.pow(10, exponent);
    assertThat(Math.round(mantissa)).as(context + " step " + step).isIn(1L, 2L, 5L);
    assertThat(mantissa).as(context + " step " + step).isCloseTo(Math.round(mantissa), offset(1e-9));
  }
}
