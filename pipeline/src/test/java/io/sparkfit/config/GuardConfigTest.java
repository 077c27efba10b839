package io.sparkfit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code guard}: its defaults, the three kinds of drift reference, and one line for each bad value. */
class GuardConfigTest {
  private static final String MINIMAL = "data { train = \"data/train\", features = [a, b], label = y }";

  private static GuardConfig guard(String... overrides) {
    return ConfigLoader.parse(MINIMAL, List.of(overrides)).config().guard();
  }

  @Test
  void defaultsWarnAgainstThePreviousOutputAndPromoteNothing() {
    GuardConfig guard = guard();
    assertThat(guard.drift().reference()).isEqualTo(new GuardConfig.AutoReference());
    assertThat(guard.drift().onViolation()).isEqualTo(GuardConfig.OnViolation.WARN);
    assertThat(guard.drift().psi()).isEqualTo(0.2);
    assertThat(guard.promote().champion()).isEmpty();
    assertThat(guard.promote().alpha()).isEqualTo(0.05);
    assertThat(guard("guard.drift.reference=none").drift().reference()).isEqualTo(new GuardConfig.NoReference());
    assertThat(guard("guard.drift.reference=hdfs://nn/models/current").drift().reference())
        .isEqualTo(new GuardConfig.PathReference("hdfs://nn/models/current"));
  }

  @Test
  void badValuesAreOneLineNamingTheKeyAndTheValue() {
    assertThatThrownBy(() -> guard("guard.drift.psi=0"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid guard.drift.psi: 0.0 (must be a positive number)");
    assertThatThrownBy(() -> guard("guard.drift.ks=1.5")).hasMessage("Invalid guard.drift.ks: 1.5 (must be above 0 and at most 1)");
    assertThatThrownBy(() -> guard("guard.drift.on-violation=stop"))
        .hasMessage("Invalid guard.drift.on-violation: stop (must be one of fail, warn)");
    assertThatThrownBy(() -> guard("guard.promote.alpha=0.7"))
        .hasMessage("Invalid guard.promote.alpha: 0.7 (must be above 0 and below 0.5)");
    assertThatThrownBy(() -> guard("guard.promote.champion=/models/current"))
        .hasMessage(
            "guard.promote.champion = /models/current needs labelled data both models score: set guard.promote.holdout or data.validation");
    assertThat(guard("guard.promote.champion=/models/current", "guard.promote.holdout=/data/holdout").promote().holdout())
        .contains("/data/holdout");
    assertThatThrownBy(() -> ConfigLoader.loadGate(List.of("guard.promote.champion=/x")))
        .hasMessage("Unknown key guard.promote.champion for compare (accepted: guard.promote.min-improvement, guard.promote.alpha)");
  }
}
