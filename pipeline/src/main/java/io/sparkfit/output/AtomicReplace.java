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
    if ("file".equals(qualified.toUri().getScheme())) {
      // java.nio rather than Hadoop's local file system, whose checksum side files would not move with the rename.
      java.nio.file.Path to = java.nio.file.Path.of(qualified.toUri());
      java.nio.file.Path from = java.nio.file.Path.of(staged.toUri());
      try {
        Files.write(from, content);
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(from);
      }
      Files.deleteIfExists(to.resolveSibling("." + to.getFileName() + ".crc"));
      return;
    }
    try {
      try (OutputStream out = fs.create(staged, false)) {
        out.write(content);
      }
      FileContext.getFileContext(qualified.toUri(), fs.getConf()).rename(staged, qualified, Options.Rename.OVERWRITE);
    } finally {
      if (fs.exists(staged)) {
        fs.delete(staged, false);
      }
    }
  }
}
