package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.SparkSettings;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A master Spark would not take, or that nobody answers at, is refused in one line before Spark starts. */
class SparkSessionsTest {

  @Test
  void mastersSparkKnowsAreAccepted() {
    for (String master : List.of("local", "local[2]", "local[*]", "local[2, 3]", "local-cluster[2, 1, 1024]", "yarn", "k8s://https://kube:443")) {
      assertThatCode(() -> SparkSessions.checkMaster(master)).as(master).doesNotThrowAnyException();
    }
  }

  @Test
  void aMisspeltMasterIsRefusedNamingWhatWouldDo() {
    for (String master : List.of("yarnn", "local[x]", "locale", "spark:/host:7077")) {
      assertThatThrownBy(() -> SparkSessions.checkMaster(master))
          .as(master)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Invalid spark.master: " + master + " (must be local, local[N]");
    }
  }

  @Test
  void aStandaloneMasterNobodyAnswersAtIsRefused() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    int port = free;
    assertThatThrownBy(() -> SparkSessions.checkMaster("spark://127.0.0.1:" + port))
        .hasMessage("Cannot reach the Spark master of spark.master = spark://127.0.0.1:%d (127.0.0.1:%d: ConnectException: Connection refused)", port, port);
    assertThatThrownBy(() -> SparkSessions.checkMaster("spark://127.0.0.1")).hasMessageContaining("127.0.0.1 has no port");
    try (ServerSocket master = new ServerSocket(0)) {
      // Of a list of masters (standby and leader), one answering is enough.
      assertThatCode(() -> SparkSessions.checkMaster("spark://127.0.0.1:" + port + ",127.0.0.1:" + master.getLocalPort()))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void serializationStreamsLetGoOfEachObjectUnlessConfigSaysOtherwise() {
    String key = "spark.serializer.objectStreamReset";
    assertThat(SparkSessions.conf(new SparkSettings("local[2]", "t", Map.of())).get(key)).isEqualTo("1");
    assertThat(SparkSessions.conf(new SparkSettings("local[2]", "t", Map.of(key, "50"))).get(key)).isEqualTo("50");
  }
}
