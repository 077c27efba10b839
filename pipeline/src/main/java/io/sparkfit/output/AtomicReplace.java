package io.sparkfit.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Replaces a small file in one rename, so that a reader opening it at any moment finds the old
 * content or the new, and never none (which {@link StagedWrite}'s move-aside-then-rename allows for
 * a moment, acceptable for outputs but not for a pointer readers follow). The content is written to
 * a hidden sibling first. On local paths the rename is {@code rename(2)}, on HDFS its rename with
 * overwrite; both replace the target atomically. On object stores a rename is a copy, and atomicity
 * is lost.
 */
public final class AtomicReplace {
  private AtomicReplace() {}

  public static void write(FileSystem fs, Path target, byte[] content) throws IOException {
    Path qualified = fs.makeQualified(target);
    Path staged = new Path(qualified.getParent(), "." + qualified.getName() + ".sparkfit-replace-" + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(staged, false)) {
        out.write(content);
      }
      if ("file".equals(qualified.toUri().getScheme())) {
        Files.move(
            java.nio.file.Path.of(staged.toUri()), java.nio.file.Path.of(qualified.toUri()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        FileContext.getFileContext(qualified.toUri(), fs.getConf()).rename(staged, qualified, Options.Rename.OVERWRITE);
      }
    } finally {
      if (fs.exists(staged)) {
        fs.delete(staged, false);
      }
    }
  }
}
