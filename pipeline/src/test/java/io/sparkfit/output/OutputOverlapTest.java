package io.sparkfit.output;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output never equals, contains or lies inside an input, however the paths are written. */
class OutputOverlapTest {
  @TempDir Path tmp;
  private Path data;
  private final Configuration hadoop = new Configuration();

  @BeforeEach
  void data() throws Exception {
    data = Files.createDirectories(tmp.resolve("data/train"));
    Files.writeString(data.resolve("part-0.parquet"), "rows");
  }

  private void check(String output, String... inputs) {
    OutputOverlap.refuse(
        hadoop,
        new OutputOverlap.Named("output.dir", output),
        java.util.Arrays.stream(inputs).map(i -> new OutputOverlap.Named("data.train", i)).toList());
  }

  @Test
  void theSameDirectoryIsRefusedHoweverItIsWritten() {
    for (String same :
        List.of(data.toString(), data + "/", "file://" + data, "file:" + data, data.getParent() + "/x/../train", data + "/.")) {
      assertThatThrownBy(() -> check(same, data.toString()))
          .as(same)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("output.dir " + same)
          .hasMessageContaining("is the same as data.train " + data)
          .hasMessageEndingWith("choose another output.dir");
    }
  }

  @Test
  void anOutputInsideOrAroundTheDataIsRefused() {
    assertThatThrownBy(() -> check(data.resolve("model").toString(), data.toString()))
        .hasMessageContaining("lies inside data.train " + data);
    assertThatThrownBy(() -> check(tmp.resolve("data").toString(), data.toString()))
        .hasMessageContaining("contains data.train " + data);
    // A single input file, and the directory holding it.
    Path file = data.resolve("part-0.parquet");
    assertThatThrownBy(() -> check(file.toString(), file.toString())).hasMessageContaining("is the same as");
    assertThatThrownBy(() -> check(data.toString(), file.toString())).hasMessageContaining("contains data.train " + file);
  }

  @Test
  void symbolicLinksAndRelativePathsAreFollowed() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("link"), data);
    assertThatThrownBy(() -> check(link.resolve("model").toString(), data.toString()))
        .hasMessageContaining("output.dir " + link.resolve("model") + " (" + data.toRealPath().resolve("model") + ")")
        .hasMessageContaining("lies inside");
    assertThatThrownBy(() -> check(data.toString(), link.toString())).hasMessageContaining("is the same as data.train " + link);
    Path relative = Path.of("").toAbsolutePath().relativize(data);
    assertThatThrownBy(() -> check(relative.toString(), data.toString())).hasMessageContaining("is the same as");
  }

  @Test
  void globsAreExpandedToWhatTheyMatch() throws Exception {
    Files.createDirectories(tmp.resolve("data/validation"));
    assertThatThrownBy(() -> check(tmp.resolve("data/validation/m").toString(), tmp.resolve("data/{train,validation}").toString()))
        .hasMessageContaining("lies inside data.train");
    assertThatCode(() -> check(tmp.resolve("data/models").toString(), tmp.resolve("data/t*").toString())).doesNotThrowAnyException();
  }

  @Test
  void neighboursAndOtherFileSystemsAreApart() {
    assertThatCode(() -> check(data + "2", data.toString())).as("a sibling whose name starts the same").doesNotThrowAnyException();
    assertThatCode(() -> check(tmp.resolve("models/today").toString(), data.toString())).doesNotThrowAnyException();
    assertThatCode(() -> check("hdfs://namenode:8020" + data, data.toString())).as("same path, another file system").doesNotThrowAnyException();
  }

  @Test
  void theSameHostWithAndWithoutItsPortIsTheSameFileSystem() {
    assertThatThrownBy(() -> check("hdfs://nn:8020/data/train/model", "hdfs://nn/data/train"))
        .hasMessageContaining("lies inside data.train hdfs://nn/data/train");
    assertThatCode(() -> check("hdfs://nn:8020/data/train/model", "hdfs://nn:9000/data/train")).doesNotThrowAnyException();
  }
}
